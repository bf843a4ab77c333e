// Design note: the Node half of bench/ab_kernels.sh — refuses to time unless check() says both sides
// give the same bits, then runs old and new in alternation (ROUNDS, default 30, the first 5 dropped)
// and prints each case's median CPU time and, for the products, G multiply-adds per second.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const M = require(process.argv[2]);
await new Promise((r) => { if (M.calledRun) r(); else M.onRuntimeInitialized = r; });
if (M._check() !== 1) { console.error('ab_kernels: the two sides give different bits'); process.exit(1); }
const rounds = Number(process.env.ROUNDS ?? 30);
const names = ['tanh y, 480k', 'tanh y+dy, 480k', 'grid 7 products', '256³ forward', '256³ grad_x', '256³ grad_W',
  '1×256×256 forward', '1×256×256 grad_x', 'uniform_ 65536', 'normal_ 65536'];
const madds = [0, 0, 10000 * (2 * 8 + 5 * 64 + 8), 256 ** 3, 256 ** 3, 256 ** 3, 65536, 65536, 0, 0];
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const t = names.map(() => [[], []]);
for (let r = 0; r < rounds; r++)
  for (let c = 0; c < names.length; c++)
    for (const s of [0, 1]) { const t0 = cpu(); M._run(s, c); t[c][s].push(cpu() - t0); }
const med = (a) => { const v = a.slice(5).sort((p, q) => p - q); return v[Math.floor(v.length / 2)]; };
console.log('same bits on every case; median CPU ms (old → new)');
names.forEach((n, c) => {
  const [a, b] = [med(t[c][0]), med(t[c][1])];
  const rate = madds[c] ? `  (${(madds[c] / a / 1e6).toFixed(2)} → ${(madds[c] / b / 1e6).toFixed(2)} G madd/s)` : '';
  console.log(`${n.padEnd(20)} ${a.toFixed(3)} → ${b.toFixed(3)}  ×${(b / a).toFixed(2)}${rate}`);
});
