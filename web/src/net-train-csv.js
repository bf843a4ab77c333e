// Design note: the playground's "points as CSV" box, which never loses what the student typed.
// The page writes the points in use into it after every change of them (a click, drag or delete
// on the picture, Clear, "Edit these points", a link, a preset), but not over a draft: text typed
// or loaded that differs from the points in use and was not applied, a mistake in it or not.
// Then the other edit still happens (the click on the picture was meant, and refusing it would
// make the picture unusable while a line has a typo), the draft stays with its message, and a
// one-line note says that it is not what the picture shows, with a button that discards it for
// the points in use. Appending a click's point to the draft as a line was the other way; it would
// only serve adds (a drag or a delete has no line to edit in a text that may not even parse), and
// would change the student's text, and the line numbers of its message, under their hands.
// A text applied ("Use these points", a loaded file that parses) becomes the page's normal form
// of it: the points in use.
import { h } from './util.js';

const showIn = (box, msg) => { box.hidden = !msg; box.textContent = msg ?? ''; };

// onApply(text): the student asks for the text to be used (its mistakes come back via error()).
export function csvBox({ onApply }) {
  const text = h('textarea', { class: 'mono nt-csv', rows: 5, spellcheck: 'false' });
  const error = h('div', { class: 'field-error', role: 'alert', hidden: true });
  const discard = h('button', { type: 'button', class: 'btn btn-small nt-discard', text: 'Discard the text',
    title: 'replace the text by the points the picture shows' });
  const note = h('p', { class: 'nt-csv-note small', role: 'status', hidden: true },
    'Not applied: the picture shows other points. ', discard);
  let inUse = '';     // the points in use, as CSV
  let kept = false;   // a draft was kept over a change of the points in use
  const draft = () => text.value !== inUse;
  const update = () => {
    if (!draft()) kept = false;
    note.hidden = !kept;
  };
  text.addEventListener('input', update);
  discard.addEventListener('click', () => {
    text.value = inUse;
    kept = false;
    showIn(error, null);
    update();
    text.focus();
  });
  return {
    text, error, note,
    apply: () => onApply(text.value),
    async load(f) { text.value = await f.text(); update(); onApply(text.value); },
    // the points in use are now `csv`; applied: it is the student's text that was just applied
    set(csv, { applied = false } = {}) {
      const keep = !applied && draft() && !text.readOnly;
      inUse = csv;
      if (keep) kept = true;
      else { text.value = csv; kept = false; }
      update();
    },
    showError(msg) { showIn(error, msg); },
  };
}
