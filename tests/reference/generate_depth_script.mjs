// Runs the depth view's PyTorch script (web/src/net-depth-snippet.js) for a few links with
// Debian's python3-torch and records what it prints, so tests/browser/network.test.mjs can check
// that the page's table of numbers per layer reads the same (no PyTorch needed at test time).
// Writes tests/reference/depth_script.json: {torch_version, cases: [{link, output}]}.
// Run after a build (it uses dist/lab.mjs): `node tests/reference/generate_depth_script.mjs`.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseNetState } from '../../web/src/net-state.js';
import { depthScript } from '../../web/src/net-depth-snippet.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const { default: createLab } = await import(pathToFileURL(join(root, 'dist/lab.mjs')).href);
const lab = await createLab();
// one link per init scheme, small enough to read, ordered phase or at its edge (see the snippet's note)
const LINKS = [
  'd.depth=6&d.width=16&d.batch=8&d.act=ELU(alpha=0.5)&d.init=xavier_normal(gain=1.5)&d.seed=3',
  'd.depth=12&d.width=32&d.batch=16&d.act=Sigmoid',
  'd.depth=8&d.width=24&d.batch=10&d.act=ReLU&d.init=kaiming_uniform(nonlinearity=relu,bias=zeros)',
  'd.depth=10&d.width=24&d.batch=12&d.act=LeakyReLU(negative_slope=0.2)&d.init=kaiming_normal(a=0.2)&d.seed=5',
  'd.depth=5&d.width=20&d.batch=6&d.act=Sine&d.init=siren',
  'd.depth=7&d.width=16&d.batch=5&d.act=Tanh&d.init=normal(sw2=1.7,sb2=0.2)&d.seed=9',
  'd.depth=7&d.width=16&d.batch=5&d.act=SELU&d.init=lecun_normal',
  'd.depth=9&d.width=20&d.batch=7&d.act=GELU&d.init=xavier_uniform(gain=1.2,bias=zeros)&d.seed=11',
  // issue 11: a typed formula, its nn.Module class in the script
  'd.depth=6&d.width=16&d.batch=8&d.act=formula(a=1.2)&d.actx=x*sigmoid(a*x)&d.init=kaiming_normal(nonlinearity=relu)&d.seed=2',
];
const python = process.env.PYTHON ?? '/usr/bin/python3';
const version = execFileSync(python, ['-c', 'import torch; print(torch.__version__)']).toString().trim();
const cases = LINKS.map((link) => {
  const script = depthScript(lab, parseNetState(link).depth);
  const output = execFileSync(python, ['-'], { input: script }).toString();
  return { link, output };
});
writeFileSync(join(root, 'tests/reference/depth_script.json'), `${JSON.stringify({ torch_version: version, cases }, null, 1)}\n`);
console.log(`tests/reference/depth_script.json: ${cases.length} cases, torch ${version}`);
