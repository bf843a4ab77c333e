// Design note: several apps on one course page (a direct embed of a graph and one of a loss
// calculator, say) must not share element ids, or labels and ARIA references would point into
// the wrong app. The modules build their DOM with fixed ids (the full page and the tests rely on
// them), so an embedded app's root is watched instead: every id inside it, and every reference to
// one (for, aria-labelledby, aria-describedby, aria-controls), gets the app's own prefix as soon
// as the element is added or the attribute set. Nothing looks elements up by id, so nothing else
// has to know.
const REFS = ['for', 'aria-labelledby', 'aria-describedby', 'aria-controls'];
const ATTRS = ['id', ...REFS];

function prefixAttr(el, name, prefix) {
  const v = el.getAttribute(name);
  if (v === null || v === '') return;
  const next = name === 'id' || name === 'for'
    ? (v.startsWith(prefix) ? v : prefix + v)
    : v.split(/\s+/).filter(Boolean).map((t) => (t.startsWith(prefix) ? t : prefix + t)).join(' ');
  if (next !== v) el.setAttribute(name, next);
}

function prefixTree(node, prefix) {
  if (node.nodeType !== 1) return;
  for (const a of ATTRS) prefixAttr(node, a, prefix);
  for (const el of node.querySelectorAll('[id], [for], [aria-labelledby], [aria-describedby], [aria-controls]')) {
    for (const a of ATTRS) prefixAttr(el, a, prefix);
  }
}

// Keeps every id under root prefixed; returns a function that applies pending changes now.
export function scopeIds(root, prefix) {
  const observer = new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'attributes') prefixAttr(r.target, r.attributeName, prefix);
      else for (const n of r.addedNodes) prefixTree(n, prefix);
    }
  });
  observer.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ATTRS });
  return () => {
    observer.takeRecords();
    for (const n of root.children) prefixTree(n, prefix);
  };
}
