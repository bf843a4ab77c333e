// Writes docs/functions.md — every function, its parameters and defaults, formula, summary and
// notes — from the registry (lab.catalog()), so the docs never restate a default by hand.
// `node tools/gen-docs.mjs` writes it; `node tools/gen-docs.mjs --check` fails if it is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import createLab from '../dist/lab.mjs';

const lab = await createLab();
const { activations, losses } = lab.catalog();

const show = (v) => (v === null ? 'None' : typeof v === 'boolean' ? (v ? 'True' : 'False') : typeof v === 'string' ? `'${v}'` : String(v));
const range = (p) => {
  if (p.type === 'choice') return p.choices.map((c) => `'${c}'`).join(' \\| ');
  if (p.type === 'dim' && p.min === null && p.max === null) return "a dim of the input (PyTorch's range)";
  if (p.min === null && p.max === null) return 'any';
  const lo = p.min === null ? '(−∞' : `${p.minOpen ? '(' : '['}${p.min}`;
  const hi = p.max === null ? '∞)' : `${p.max}${p.maxOpen ? ')' : ']'}`;
  return `${lo}, ${hi}`;
};

function section(f) {
  let s = `### ${f.name}${f.inTorchNn ? '' : ' (not in torch.nn)'}\n\n${f.summary}\n\n$$${f.formula}$$\n\n`;
  s += `PyTorch: \`${lab.torchCode(f.name, Object.fromEntries(f.params.filter((p) => p.required).map((p) => [p.name, 0])))}\`\n\n`;
  if (f.params.length) {
    s += '| parameter | default | valid | meaning |\n|---|---|---|---|\n';
    for (const p of f.params) s += `| \`${p.name}\` | ${p.required ? '(required)' : `\`${show(p.default)}\``} | ${range(p)} | ${p.doc} |\n`;
    s += '\n';
  }
  if (f.args.length) s += f.args.map((a) => `- \`${a.name}\`: ${a.doc}`).join('\n') + '\n\n';
  s += f.notes.map((n) => `- ${n}`).join('\n') + '\n\n';
  return s;
}

function groups(list) {
  const by = new Map();
  for (const f of list) by.set(f.group, [...(by.get(f.group) ?? []), f]);
  return [...by].map(([g, fs]) => `## ${g}\n\n${fs.map(section).join('')}`).join('');
}

const doc = '# Functions\n\nGenerated from the registry by `node tools/gen-docs.mjs`; do not edit by hand.\n\n' +
  `${activations.length} activations and ${losses.length} losses.\n\n# Activations\n\n${groups(activations)}# Losses\n\n${groups(losses)}`;
const file = new URL('../docs/functions.md', import.meta.url);
if (process.argv.includes('--check')) {
  let old = '';
  try { old = readFileSync(file, 'utf8'); } catch { /* missing */ }
  if (old !== doc) {
    console.error('docs/functions.md is out of date: run node tools/gen-docs.mjs');
    process.exit(1);
  }
} else {
  writeFileSync(file, doc);
}
