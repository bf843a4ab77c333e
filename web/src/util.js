// Design note: the few DOM and formatting helpers every view shares. `h` is a ten-line
// hyperscript so views stay plain functions that return elements, without a framework.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k === 'html') el.innerHTML = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

let counter = 0;
export const uid = (prefix = 'id') => `${prefix}-${++counter}`;

// Numbers as a person reads them: six significant digits, exponent form only when needed (then
// three fewer, the exponent's room, but two at least); NaN and infinities spelled as Python
// prints them. A value with more integer digits than `digits` (1234 at 3) is written "1.23e+3"
// with its zeros dropped as elsewhere ("1e+3", not toPrecision's "1.00e+3").
export function fmt(v, digits = 6) {
  if (typeof v !== 'number') return String(v);
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (v === 0) return '0';  // −0 too: a student reads "-0" as a sign that matters
  const a = Math.abs(v);
  if (a >= 1e-4 && a < 1e7) {
    const s = v.toPrecision(digits);
    if (!s.includes('e')) return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
    return s.replace(/\.?0+e/, 'e');  // all `digits` kept: they fit in the range's width
  }
  return v.toExponential(Math.max(1, digits - 3)).replace(/\.?0+e/, 'e');
}

// Axis tick labels: every label names its own position exactly. All labels of an axis share
// the fewest decimals (or exponent digits) that write every split without rounding it, so a
// 0.25 step reads 0.25, 0.5, 0.75 (not 0.3, 0.5, 0.8). Float noise of the split arithmetic
// (1e-9 of a step) is not a digit.
export function tickLabels(splits) {
  const finite = splits.filter(Number.isFinite);
  if (!finite.length) return splits.map(String);
  const step = finite.length > 1 ? Math.min(...finite.slice(1).map((v, i) => Math.abs(v - finite[i])).filter((d) => d > 0), Infinity) : 0;
  const tol = (Number.isFinite(step) && step > 0 ? step : Math.max(...finite.map(Math.abs)) || 1) * 1e-9;
  const big = Math.max(...finite.map(Math.abs));
  const exact = (write) => finite.every((v) => Math.abs(Number(write(v)) - v) <= tol);
  const clean = (s) => (/^-0(\.0+)?$/.test(s) ? '0' : s);
  if (big < 1e6 && !(step > 0 && step < 1e-4)) {
    for (let d = 0; d <= 12; d++) {
      if (exact((v) => v.toFixed(d))) return splits.map((v) => (!Number.isFinite(v) ? String(v) : Math.abs(v) <= tol ? '0' : v.toFixed(d)));
    }
  }
  for (let d = 0; d <= 15; d++) {
    if (exact((v) => v.toExponential(d))) {
      return splits.map((v) => (!Number.isFinite(v) ? String(v) : Math.abs(v) <= tol ? '0' : v.toExponential(d).replace('e+', 'e')));
    }
  }
  return splits.map((v) => clean(String(v)));
}

// A short fingerprint of a text (FNV-1a, 32 bits, base 36): the build keys each typeset formula by
// its function's name and stores this of its LaTeX, instead of the LaTeX itself (7 KB).
export function textKey(s) {
  let x = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) x = Math.imul(x ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return x.toString(36);
}

// Python literal for a parameter value (used in labels and state).
export function pyValue(v) {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return "float('nan')";
    if (!Number.isFinite(v)) return v > 0 ? "float('inf')" : "-float('inf')";
    return String(v);
  }
  return JSON.stringify(v);
}

export function debounce(fn, ms) {
  let t = 0;
  return (...a) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...a), ms);
  };
}

// Coalesces bursts (slider drags, wheel zoom) into one call per animation frame.
export function perFrame(fn) {
  let queued = false;
  let args = [];
  return (...a) => {
    args = a;
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      fn(...args);
    });
  };
}

export function download(data, filename, type) {
  const blob = data instanceof Blob ? data : new Blob([data], { type });
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// Clipboard API where allowed; a hidden textarea + execCommand where it is not (file://, iframes).
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const ta = h('textarea', { class: 'visually-hidden', 'aria-hidden': 'true' });
    ta.value = text;
    document.body.append(ta);
    ta.select();
    let ok = false;
    try { ok = document.execCommand('copy'); } catch { ok = false; }
    ta.remove();
    return ok;
  }
}

// A button that copies `getText()` and says so for a moment (and to screen readers).
export function copyButton(getText, label = 'Copy') {
  const btn = h('button', { type: 'button', class: 'btn btn-small', text: label });
  btn.addEventListener('click', async () => {
    const ok = await copyText(getText());
    btn.textContent = ok ? 'Copied ✓' : 'Select and copy';
    setTimeout(() => { btn.textContent = label; }, 1500);
  });
  return btn;
}

// Nested arrays: shape and flat values.
export function shapeOf(v) {
  const s = [];
  for (let a = v; Array.isArray(a) || ArrayBuffer.isView(a); a = a[0]) {
    s.push(a.length);
    if (a.length === 0) break;
  }
  return s;
}
export function flatten(v) {
  if (typeof v === 'number') return [v];
  const out = [];
  const walk = (a) => { for (const x of a) (Array.isArray(x) || ArrayBuffer.isView(x) ? walk(x) : out.push(x)); };
  walk(v);
  return out;
}
