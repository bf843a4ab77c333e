// The page's number format (web/src/util.js fmt), the one every readout, summary and table cell
// of the page goes through: rows {value, digits, shown, why}.
import test from 'node:test';
import assert from 'node:assert/strict';
import { fmt } from '../../web/src/util.js';

const rows = [
  [0.5, 6, '0.5', 'trailing zeros dropped'],
  [1 / 3, 6, '0.333333', 'six significant digits by default'],
  [123456.7, 6, '123457', 'six digits, rounded, no exponent while it fits'],
  [2.474e11, 6, '2.474e+11', 'exponent form: three fewer digits (the exponent\'s room)'],
  [2.474e11, 3, '2.5e+11', 'two significant digits at least in exponent form (was "2e+11")'],
  [1e-5, 3, '1e-5', 'a small value in exponent form, zeros dropped'],
  [1234, 3, '1.23e+3', 'more integer digits than asked: exponent form with all three digits'],
  [1000, 3, '1e+3', 'its zeros dropped, as elsewhere (toPrecision writes "1.00e+3")'],
  [100, 2, '1e+2', 'not "1.0e+2"'],
  [99.96, 3, '100', 'rounding up to the width that still fits'],
  [-1500, 2, '-1.5e+3', 'the sign kept'],
  [-0, 6, '0', 'no "-0"'],
  [NaN, 6, 'nan', 'as Python prints it'],
  [-Infinity, 6, '-inf', 'as Python prints it'],
];

test('fmt writes each number as the table says', () => {
  for (const [v, digits, shown, why] of rows) assert.equal(fmt(v, digits), shown, `fmt(${v}, ${digits}): ${why}`);
});
