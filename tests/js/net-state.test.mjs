// The Network tab's part of the link (web/src/net-state.js): what a link sets, what it writes back
// (only what differs from the defaults, the training view's keys through net-train-state.js), and
// the values it cannot read, named for the link notice while the rest applies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNetState, writeNetState, defaultNetState } from '../../web/src/net-state.js';
import { fromHash, toHash } from '../../web/src/state.js';

test('a depth link is read and written back unchanged; the defaults write nothing', () => {
  assert.equal(writeNetState(defaultNetState()), '');
  const link = 'net=depth&d.depth=50&d.width=256&d.batch=64&d.act=ELU(alpha=0.5)&d.init=kaiming_normal(nonlinearity=relu,bias=zeros)&d.seed=7&d.show=pre';
  const st = parseNetState(link);
  assert.deepEqual(st.depth, {
    depth: 50, width: 256, batch: 64, act: { name: 'ELU', params: { alpha: 0.5 } },
    init: { scheme: 'kaiming_normal', params: { nonlinearity: 'relu', bias: 'zeros' } }, seed: 7, show: 'pre',
  });
  assert.equal(st.view, 'depth');
  // net=depth is the default view, so it is not written; the rest is
  assert.equal(decodeURIComponent(writeNetState(st)), link.replace('net=depth&', ''));
});

test('values the tab cannot read are named, the defaults kept, the rest applied', () => {
  const ignored = [];
  const st = parseNetState('net=graph&d.depth=500&d.width=1.5&d.batch=&d.seed=-1&d.show=both&d.act=ELU(alpha=&d.width=64', ignored);
  assert.deepEqual(ignored, [
    'net=graph (use depth or train)',
    'd.depth=500 (an integer from 1 to 100)',
    'd.width=1.5 (an integer from 2 to 512)',
    'd.batch= (an integer from 1 to 512)',
    'd.seed=-1 (an integer from 0 to 4294967295)',
    'd.act=ELU(alpha=',
    'd.show=both (use post or pre)',
  ]);
  assert.equal(st.depth.depth, defaultNetState().depth.depth);
  assert.equal(st.depth.act.name, 'Tanh');
});

test('the training view\'s keys ride along; state.js keeps them as the tab\'s text through a whole link', () => {
  const st = parseNetState('net=train&hidden=4,4&act=ReLU&steps=30');
  assert.equal(st.view, 'train');
  assert.deepEqual(st.train.hidden, [4, 4]);
  assert.equal(st.train.steps, 30);
  const written = writeNetState(st);
  assert.deepEqual(parseNetState(written), st);
  const shell = fromHash(`#${written}&theme=dark&title=Nets`);
  assert.equal(shell.tab, 'net');
  assert.equal(shell.teach.title, 'Nets');
  assert.deepEqual(shell.ignored, []);
  assert.equal(toHash(shell, () => null, () => ({})), `#theme=dark&title=Nets&net=train&hidden=4,4&act=ReLU&steps=30`);
  // tab=net alone opens the tab on its default view
  assert.equal(fromHash('#tab=net').tab, 'net');
  assert.equal(toHash(fromHash('#tab=net'), () => null, () => ({})), '#tab=net');
  assert.equal(fromHash('#embed=depth').tab, 'net');
});

test('"Your formula" in a link: the text in d.actx / actx (b.actx for Compare\'s B), parameters as a built-in\'s, written back the same', () => {
  const link = 'd.act=formula(a=2)&d.actx=x*sigmoid(a*x)&net=train&act=formula&actx=x>0?x:a*(exp(x)-1);a=0.7&cmp=1&b.act=formula(a=0.2)';
  const st = parseNetState(link);
  assert.deepEqual(st.depth.act, { name: 'formula', formula: 'x*sigmoid(a*x)', params: { a: 2 } });
  assert.deepEqual(st.train.act, { name: 'formula', params: {}, formula: 'x>0?x:a*(exp(x)-1);a=0.7' });
  // B without b.actx: A's text, its own parameter value
  assert.deepEqual(st.train.compare.act, { name: 'formula', params: { a: 0.2 }, formula: 'x>0?x:a*(exp(x)-1);a=0.7' });
  const back = parseNetState(writeNetState(st));
  assert.deepEqual(back, st);
  // B with its own text; a built-in B writes no b.actx
  st.train.compare.act = { name: 'formula', formula: 'tanh(x)', params: {} };
  assert.match(decodeURIComponent(writeNetState(st)), /&b\.actx=tanh\(x\)/);
  assert.deepEqual(parseNetState(writeNetState(st)).train.compare.act, st.train.compare.act);
  st.train.compare.act = { name: 'ReLU', params: {} };
  assert.doesNotMatch(writeNetState(st), /b\.actx/);
  // a built-in writes no actx; a formula with an empty text keeps its (empty) text
  assert.doesNotMatch(writeNetState(parseNetState('act=ELU&d.act=Tanh')), /actx/);
  assert.equal(parseNetState('d.act=formula').depth.act.formula, '');
});

test('own data with every point deleted writes no unreadable pts= (the link notice would name the page\'s own link)', () => {
  const st = defaultNetState();
  st.view = 'train';
  st.train.data.name = 'own';
  st.train.points = [];
  st.train.hidden = [4];
  const text = writeNetState(st);
  assert.equal(text, 'net=train&hidden=4');
  const ignored = [];
  const back = parseNetState(text, ignored);
  assert.deepEqual(ignored, []);
  assert.equal(back.train.data.name, 'circle');
});
