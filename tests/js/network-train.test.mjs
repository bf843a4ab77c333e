// The training playground's parts that run without a page, in Node over dist/lab.mjs: its link
// state (round trip, unreadable values named), CSV in and out (errors naming line and column), the
// loss format against Python's '%.6g' (strings printed by CPython 3.11, kept below), the accuracy
// text's integer rounding, and — the point of the export — every case of
// tests/reference/network_export.json replayed by the page's own training run (net-train-run.js,
// the code the view calls) to the very line the exported script printed under PyTorch, with every
// loss within 1e-9 of PyTorch's (and the counts equal).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const imp = (p) => import(pathToFileURL(join(root, p)).href);
const { default: createLab } = await imp('dist/lab.mjs');
const { parseTrainState, writeTrainState, defaultTrainState } = await imp('web/src/net-train-state.js');
const { parseCsv, toCsv, ownData } = await imp('web/src/net-data.js');
const { pyG, accuracyText, headsFor, targetOf, decideClasses } = await imp('web/src/net-train-heads.js');
const { TrainingRun } = await imp('web/src/net-train-run.js');
const { evaluationLine } = await imp('web/src/net-export.js');
const { build } = await imp('tests/reference/generate_network_export.mjs');
const lab = await createLab();

test('link state: a full link reads and writes back to itself; defaults write nothing; bad values are named', () => {
  const link = 'data=spiral(n=300,noise=0.2,classes=3,seed=4)&hidden=8,8,4&act=ELU(alpha=0.5)&init=xavier_uniform(gain=2,bias=zeros)'
    + '&head=CrossEntropyLoss(label_smoothing=0.1)&opt=Adam(lr=0.01,betas=[0.9,0.99])&bias=0&batch=5&seed=3&steps=250';
  const ignored = [];
  const st = parseTrainState(new URLSearchParams(link), ignored);
  assert.deepEqual(ignored, []);
  assert.deepEqual(st.opt, { name: 'Adam', params: { lr: 0.01, betas: [0.9, 0.99] } });
  assert.deepEqual(st.init, { weight: 'xavier_uniform', params: { gain: 2 }, bias: 'zeros' });
  const q = new URLSearchParams();
  writeTrainState(st, q);
  assert.deepEqual(parseTrainState(q, []), st);
  const q0 = new URLSearchParams();
  writeTrainState(defaultTrainState(), q0);
  assert.equal(q0.toString(), '');
  const bad = [];
  parseTrainState(new URLSearchParams('hidden=8,x&batch=0&pts=1,2,3,4,5&data=foo(bar=1)&steps=-1&bias=2'), bad);
  assert.deepEqual(bad.sort(), ['batch=0', 'bias=2', 'data=foo(bar=1)', 'hidden=8,x', 'pts=1,2,3,4,5', 'steps=-1']);
  const own = parseTrainState(new URLSearchParams('data=own&pts=1.5,-2,0;0.5,1,1,t'), []);
  assert.deepEqual(own.points, [[1.5, -2, 0, false], [0.5, 1, 1, true]]);
});

test('CSV: header, train/test column, regression pairs; a bad line is named with its column', () => {
  const pts = parseCsv('x1,x2,class,set\n1,2,0,train\n3,4,1,test\n\n-1e-3,.5,1\n');
  assert.deepEqual(pts, [[1, 2, 0, false], [3, 4, 1, true], [-0.001, 0.5, 1, false]]);
  assert.deepEqual(parseCsv(toCsv(pts)), pts);
  const d = ownData(pts);
  assert.equal(d.task, 'class');
  assert.deepEqual([...d.train.x], [1, 2, -0.001, 0.5]);
  assert.deepEqual([...d.test.y], [1]);
  assert.equal(ownData(parseCsv('x,y\n0.5,1\n-0.5,2,test')).task, 'reg');
  assert.throws(() => parseCsv('x1,x2,class\n1,2,0\n3,abc,1'), { message: "line 3, column 2: 'abc' is not a number" });
  assert.throws(() => parseCsv('1,2,0\n3,4,2.5'), { message: "line 2, column 3: the class must be a whole number from 0 to 7, got '2.5'" });
  assert.throws(() => parseCsv('1,2,0\n3,4'), { message: 'line 2: 2 numbers where the lines above have 3 (x1,x2,class)' });
  assert.throws(() => parseCsv('x,y\n'), /^Error: line 1: no points/);
});

test("losses print as Python's '%.6g'; accuracy rounds half up in integers", () => {
  const vals = [0.123456789, 1e-5, 123456.7, 1234567, 0.000123456, 9.9999996, 0.5, 2.5e-7, 100, 1e22, -3.14159265, 0.0001,
    0.00009999995, 999999.5, 1 / 3, 2 / 3, 0.6931471805599453, 1e-300, 5e-324, 123456, 1234565, 0.1 + 0.2];
  // print(['%.6g' % v for v in vals]) in CPython 3.11
  const python = ['0.123457', '1e-05', '123457', '1.23457e+06', '0.000123456', '10', '0.5', '2.5e-07', '100', '1e+22', '-3.14159', '0.0001',
    '0.0001', '1e+06', '0.333333', '0.666667', '0.693147', '1e-300', '4.94066e-324', '123456', '1.23456e+06', '0.3'];
  assert.deepEqual(vals.map((v) => pyG(v)), python);
  assert.equal(accuracyText(49, 400), '12.3%');  // 12.25 %: half up, where float toFixed-vs-Python could disagree
  assert.equal(accuracyText(1, 3), '33.3%');
  assert.equal(accuracyText(2, 3), '66.7%');
  assert.equal(accuracyText(0, 2), '0.0%');
  assert.equal(accuracyText(7, 7), '100.0%');
});

test('heads: the ones offered fit the data; targets and class decisions', () => {
  assert.deepEqual(headsFor('class', 3).map((hd) => hd.loss), ['CrossEntropyLoss', 'NLLLoss', 'MultiMarginLoss']);
  assert.equal(headsFor('class', 2).length, 7);
  assert.deepEqual(headsFor('reg', 0).map((hd) => hd.loss), ['MSELoss', 'L1Loss', 'HuberLoss', 'SmoothL1Loss']);
  const soft = headsFor('class', 2).find((hd) => hd.loss === 'SoftMarginLoss');
  assert.deepEqual(targetOf(soft, Float64Array.from([0, 1])), { shape: [2, 1], data: Float64Array.from([-1, 1]) });
  const ce = headsFor('class', 3)[0];
  assert.deepEqual(targetOf(ce, Float64Array.from([2, 0])).shape, [2]);
  assert.deepEqual([...decideClasses(ce, Float64Array.from([0, 1, 3, 5, 1, 2]), 3)], [2, 0]);
});

const REF = JSON.parse(readFileSync(join(root, 'tests/reference/network_export.json'), 'utf8'));
const rel = (a, b) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

test(`the page's training run prints what the exported script printed under PyTorch (${REF.cases.length} links)`, async () => {
  for (const c of REF.cases) {
    const { st, data, head } = await build(lab, c.link);
    const run = new TrainingRun(lab);
    run.configure({ data, head, hidden: st.hidden, act: st.act, init: st.init, lossParams: st.head.params, opt: st.opt, bias: st.bias, seed: st.seed, batch: st.batch });
    const lines = [];
    const values = [];
    while (run.steps < st.steps) {
      run.train(Math.min(run.toEpochEnd(), st.steps - run.steps));
      const ev = run.evaluate();
      const acc = (k, n) => (k === undefined ? undefined : `${k}/${n} (${accuracyText(k, n)})`);
      lines.push(evaluationLine({ step: ev.step, trainLoss: ev.trainLoss, testLoss: ev.testLoss, trainAcc: acc(ev.trainCorrect, ev.trainTotal), testAcc: acc(ev.testCorrect, ev.testTotal) }));
      values.push([ev.step, ev.trainLoss, ev.trainCorrect, ev.testLoss, ev.testCorrect].filter((v) => v !== undefined));
    }
    run.delete();
    assert.deepEqual(lines, c.printed, c.link);
    values.forEach((v, i) => {
      const want = c.exact[i];
      assert.equal(v.length, want.length, c.link);
      v.forEach((x, j) => {
        if (Number.isInteger(want[j]) && j !== 1) assert.equal(x, want[j], `${c.link} line ${i} field ${j}`);
        else assert.ok(rel(x, want[j]) <= 1e-9, `${c.link} line ${i} field ${j}: ${x} vs PyTorch ${want[j]}`);
      });
    });
  }
});

test('a hyper-parameter change keeps the weights and says from which step; a new shape starts again', async () => {
  const { st, data, head } = await build(lab, 'hidden=4&steps=0');
  const cfg = { data, head, hidden: st.hidden, act: st.act, init: st.init, lossParams: {}, opt: st.opt, bias: true, seed: 0, batch: 10 };
  const run = new TrainingRun(lab);
  run.configure(cfg);
  run.train(5);
  const before = run.net.parameters();
  assert.equal(run.configure({ ...cfg, opt: { name: 'Adam', params: { lr: 0.01 } } }, true), true);
  assert.deepEqual(run.net.parameters(), before);
  assert.equal(run.steps, 5);
  assert.equal(run.changedAt, 5);
  assert.equal(run.configure({ ...cfg, hidden: [5] }, true), false);
  assert.equal(run.steps, 0);
  assert.equal(run.changedAt, null);
  assert.throws(() => run.configure({ ...cfg, opt: { name: 'SGD', params: { lr: -1 } } }, true), /^Error: optimizer: Invalid learning rate: -1.0$/);
  assert.equal(run.spec.sizes.join(), '2,5,1', 'a refused spec leaves the run as it was');
  run.delete();
});
