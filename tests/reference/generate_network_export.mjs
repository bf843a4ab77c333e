// Writes tests/reference/network_export.json: what the training playground's exported PyTorch
// scripts print when PyTorch runs them.
//
// Design note: PyTorch's word on the page's numbers. For each case (a playground link), this
// builds the data exactly as the page does (net-data.js over the engine's data sets, or own
// points), writes the script with the page's own exporter (web/src/net-export.js), runs it with
// Debian's /usr/bin/python3 (python3-torch 1.13), and records every line it prints: the readout
// lines the page shows ("step 50: train loss 0.651244, …", %.6g and integer-rounded accuracies)
// and the "# exact" lines with the same values at full precision. The scripts themselves are not
// kept (they are the exporter's output; rerun this to see them: KEEP=dir node …). The browser test
// (tests/browser/network-train.test.mjs) opens each link, which replays the steps, and checks the
// page's line equals the script's last printed line and its values are within 1e-9 of PyTorch's.
//
// Run after a build of dist/ (it needs dist/lab.mjs with the network engine):
//   node tests/reference/generate_network_export.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const imp = (p) => import(pathToFileURL(join(root, p)).href);
const { default: createLab } = await imp('dist/lab.mjs');
const { parseTrainState } = await imp('web/src/net-train-state.js');
const { engineData, ownData } = await imp('web/src/net-data.js');
const { findHead, headWidth } = await imp('web/src/net-train-heads.js');
const { pytorchScript } = await imp('web/src/net-export.js');

// Each case is a link of the playground (net-train-state.js's keys); steps= is how far to train.
export const CASES = [
  'steps=52',
  'data=spiral(n=300,noise=0.2,classes=3)&hidden=16,16&act=ReLU&head=CrossEntropyLoss(label_smoothing=0.1)&opt=Adam(lr=0.01)&steps=60',
  'data=moons(noise=0.3,seed=2)&hidden=8&act=ELU(alpha=0.5)&init=xavier_uniform(gain=2,bias=zeros)&head=NLLLoss&opt=RMSprop(lr=0.01,momentum=0.5)&batch=16&steps=40',
  'data=xor(n=200,noise=0.4)&hidden=6,6&act=GELU(approximate=tanh)&head=MultiMarginLoss(margin=0.5)&opt=SGD(lr=0.05,momentum=0.9,nesterov=True,weight_decay=0.001)&seed=5&steps=45',
  'data=gaussians(n=120,noise=0.5,classes=2,split=0.7)&hidden=5&act=Softplus(beta=2)&head=SoftMarginLoss&opt=AdamW(lr=0.02,betas=[0.8,0.99])&batch=12&seed=1&steps=30',
  'data=circle(n=160,noise=0.3)&hidden=8,4&act=Sigmoid&init=kaiming_normal(nonlinearity=relu)&head=BCELoss&opt=SGD(lr=0.5)&batch=20&steps=40',
  'data=circle(n=200,noise=0.4)&hidden=8,8&act=LeakyReLU(negative_slope=0.1)&head=MSELoss&opt=SGD(lr=0.05,momentum=0.8,dampening=0.1)&steps=35',
  'data=gaussians(n=150,classes=4,noise=1)&hidden=10&act=RReLU&head=CrossEntropyLoss&opt=Adam(lr=0.02,amsgrad=True)&batch=25&seed=7&steps=30',
  'data=sine(n=100,noise=0.05)&hidden=16,16&act=Tanh&head=MSELoss&opt=SGD(lr=0.1)&steps=50',
  'data=chirp(n=120)&hidden=24,24&act=Sine(w0=30)&init=siren&head=HuberLoss(delta=0.5)&opt=Adam(lr=0.001)&batch=8&steps=40',
  'data=abs(n=90,noise=0.1,seed=3)&hidden=12&act=LinearActivation(c=0.5)&head=L1Loss&opt=SGD(lr=0.05)&batch=7&steps=33',
  'data=step(n=80,noise=0.02)&hidden=10,10&act=Hardtanh(min_val=-0.5,max_val=0.5)&init=normal(std=0.5,bias=zeros)&head=SmoothL1Loss(beta=0.5)&opt=RMSprop(lr=0.005,centered=True)&batch=9&bias=1&steps=27',
  'data=own&pts=1.5,-2,0;0.5,1,1;-1,-1.25,0;2,2,1;-2.5,1,1;0.25,-0.75,0;3,0.5,1;-0.5,3,0,t;1,-1,1,t;-3,-2,0;2.5,-2.5,1;0,0,0&hidden=4&act=CELU(alpha=0.8)&head=BCEWithLogitsLoss&opt=SGD(lr=0.2)&batch=5&seed=11&steps=21',
  'data=own&pts=-1,0.5;-0.5,0.1;0,-0.2;0.5,0.3;1,0.9;-0.75,0.4,t;0.25,0,t&hidden=6&act=SELU&init=uniform(a=-0.5,b=0.5)&head=MSELoss&opt=Adam(lr=0.05,weight_decay=0.01)&batch=3&bias=0&steps=18',
  // issue 11: a typed formula as the activation (the script defines its nn.Module class)
  'data=moons(noise=0.2)&hidden=8,8&act=formula&actx=x*sigmoid(1.702*x)&head=CrossEntropyLoss&opt=Adam(lr=0.02)&batch=20&steps=40',
  'data=sine(n=80,noise=0.05)&hidden=10&act=formula(a=0.5)&actx=x>0?x:a*(exp(x)-1);a=0.7&init=xavier_normal(bias=zeros)&head=MSELoss&opt=SGD(lr=0.1,momentum=0.5)&batch=8&steps=30',
];

export async function build(lab, link) {
  const st = parseTrainState(new URLSearchParams(link), []);
  const data = st.data.name === 'own' ? ownData(st.points) : engineData(lab, st.data);
  const head = findHead(st.head.loss, data.task, data.classes);
  if (!head) throw new Error(`${link}: no head ${st.head.loss} for this data`);
  const sizes = [data.dim, ...st.hidden, headWidth(head, data.classes)];
  const script = pytorchScript({ lab, data, head, sizes, act: st.act, init: st.init, lossParams: st.head.params, opt: st.opt, bias: st.bias, batch: st.batch, seed: st.seed, steps: st.steps });
  return { st, data, head, sizes, script };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const lab = await createLab();
  const tmp = mkdtempSync(join(tmpdir(), 'lab-export-'));
  const keep = process.env.KEEP;
  if (keep) mkdirSync(keep, { recursive: true });
  const cases = [];
  try {
    for (const [i, link] of CASES.entries()) {
      const { script } = await build(lab, link);
      const file = join(keep ?? tmp, `case${i}.py`);
      writeFileSync(file, script);
      const out = execFileSync('/usr/bin/python3', [file], { encoding: 'utf8' }).trim().split('\n');
      const printed = out.filter((l) => !l.startsWith('# exact'));
      const exact = out.filter((l) => l.startsWith('# exact')).map((l) => l.slice(8).split(' ').map(Number));
      cases.push({ link, printed, exact });
      console.log(`${link}\n  ${printed[printed.length - 1]}`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const torch = execFileSync('/usr/bin/python3', ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).trim();
  const doc = {
    description: 'What the training playground\'s exported PyTorch scripts print (tests/reference/generate_network_export.mjs). '
      + 'printed: the readout lines, one per epoch end and at the last step; exact: per line [step, train loss, (train correct), test loss, (test correct)] at full precision.',
    torch,
    cases,
  };
  writeFileSync(join(here, 'network_export.json'), `${JSON.stringify(doc, null, 1)}\n`);
  console.log(`wrote tests/reference/network_export.json (${cases.length} cases, torch ${torch})`);
}
