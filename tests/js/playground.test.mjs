// The benchmark's baseline (bench/playground.mjs) against PyTorch (bench/playground_reference.json,
// written by bench/playground_reference.py): a speed ratio against a trainer that computes something
// else would mean nothing, so its per-step losses, final parameters and grid outputs must be
// torch 1.13's within 1e-9 relative (tens of float64 steps summed in a different order). Needs no
// dist/: the baseline is plain JavaScript.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PlaygroundTrainer, buildNetwork, forwardProp } from '../../bench/playground.mjs';

const { cases } = JSON.parse(readFileSync(new URL('../../bench/playground_reference.json', import.meta.url), 'utf8'));
const TOL = 1e-9;

function worst(actual, expected, where, out) {
  if (Array.isArray(expected)) {
    assert.equal(actual.length, expected.length, `${where}: length`);
    expected.forEach((e, i) => worst(actual[i], e, `${where}[${i}]`, out));
    return out;
  }
  const rel = Math.abs(actual - expected) / Math.max(Math.abs(expected), Number.MIN_VALUE);
  if (!(rel <= out.rel)) Object.assign(out, { rel, where, actual, expected });
  return out;
}

for (const c of cases) {
  const name = `${c.sizes.join('-')} ${c.activation}, lr ${c.lr}, batch ${c.batchSize}, ${c.epochs} epoch(s)`;
  test(`baseline trains as PyTorch does: ${name}`, () => {
    const trainer = new PlaygroundTrainer({ sizes: c.sizes, activation: c.activation, lr: c.lr });
    trainer.setParameters(c.initial);
    assert.deepEqual(trainer.parameters(), c.initial);  // set and read back exactly
    const losses = [];
    for (let e = 0; e < c.epochs; e++) losses.push(...trainer.epoch({ input: c.input, target: c.target, batchSize: c.batchSize }));
    const checks = [
      ['losses', losses, c.losses],
      ['final parameters', trainer.parameters().map((p) => [p.weight, p.bias]), c.final.map((p) => [p.weight, p.bias])],
      ['grid outputs', Array.from(trainer.predict(c.grid)), c.predicted.flat()],
    ];
    for (const [what, actual, expected] of checks) {
      const w = worst(actual, expected, what, { rel: 0 });
      assert.ok(w.rel <= TOL, `${name}: ${w.where} is ${w.actual}, PyTorch ${w.expected} (relative ${w.rel})`);
    }
    // The losses do move: a trainer that never updated would not match, but say so plainly.
    assert.notEqual(losses[0], losses[losses.length - 1]);
  });
}

test('baseline: the initial forward pass matches PyTorch to the last bits the order allows', () => {
  // Before any update the first batch's loss is a pure forward pass: a tighter bound than training's.
  for (const c of cases) {
    const trainer = new PlaygroundTrainer({ sizes: c.sizes, activation: c.activation, lr: c.lr });
    trainer.setParameters(c.initial);
    const [first] = trainer.epoch({ input: c.input.slice(0, c.batchSize), target: c.target.slice(0, c.batchSize), batchSize: c.batchSize });
    assert.ok(Math.abs(first - c.losses[0]) <= 1e-12 * Math.abs(c.losses[0]), `${c.sizes.join('-')}: ${first} vs ${c.losses[0]}`);
  }
});

test('baseline: bad specs and inputs name the field', () => {
  assert.throws(() => buildNetwork([2, 3, 1], 'GELU'), /^Error: activation:/);
  assert.throws(() => buildNetwork([2, 0, 1]), /^Error: sizes:/);
  assert.throws(() => new PlaygroundTrainer({ sizes: [2, 1], lr: -1 }), /^Error: lr: Invalid learning rate: -1/);
  const t = new PlaygroundTrainer({ sizes: [2, 3, 1], lr: 0.1 });
  assert.throws(() => t.setParameters([]), /^Error: parameters:/);
  assert.throws(() => t.setParameters([{ weight: [[1, 2], [3, 4], [5]], bias: [0, 0, 0] }, { weight: [[1, 1, 1]], bias: [0] }]), /^Error: parameters\[0\]\.weight\[2\]:/);
  assert.throws(() => forwardProp(t.network, [1, 2, 3]), /^Error: input:/);
  assert.throws(() => t.epoch({ input: [[0, 0]], target: [], batchSize: 1 }), /^Error: target:/);
});
