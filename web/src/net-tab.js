// Design note: the Network tab's shell, inside its part (dist/app-network.js): the sub-views
// Depth | Training as a second tab list, the tab's state (net-state.js) read from and written to
// the link text that state.js keeps for it (app.state.netLink), and the views built on the lab the
// part brings (lab_net: the same registry plus the network engine; app.js's own lab has no network
// engine, so app.js's first visit does not carry it). The training view is engineer "train"'s
// createTrainingView({root, lab, catalog, state, setState}) — state: the training part of the
// tab's state, setState(): "I changed it, write the link". embed=depth shows only the depth view,
// embed=network only the training view; the shell's teacher options (title, caption, lock,
// present) apply as on the other tabs, because main.js and teach.js handle them for every tab.
// Values of the link this tab cannot read are added to the link notice above the app.
import { h } from './util.js';
import { parseNetState, writeNetState } from './net-state.js';
import { createDepthView } from './net-depth.js';

export function createNetworkTab(panel, app, { lab, createTrainingView }) {
  const catalog = lab.catalog();
  const ignored = [];
  let st = parseNetState(app.state.netLink, ignored);
  const acts = new Set(catalog.activations.filter((s) => s.kind === 'elementwise').map((s) => s.name));
  const checkAct = (list) => {
    if (!acts.has(st.depth.act.name) && st.depth.act.name !== 'formula') { list.push(`d.act=${st.depth.act.name} (no such elementwise activation)`); st.depth.act = { name: 'Tanh', params: {} }; }
  };
  checkAct(ignored);
  noteIgnored(app, ignored);
  const embed = app.state.embed;
  const only = embed === 'depth' ? 'depth' : embed === 'network' ? 'train' : null;
  if (only) st.view = only;

  // The views call this after a settled change; the training view may hand over a new object.
  const setState = (train) => {
    if (train && typeof train === 'object' && train !== st.depth) st.train = train;
    app.state.netLink = writeNetState(st);
    app.commit();
  };
  const btn = (view, text) => h('button', {
    type: 'button', role: 'tab', class: 'tab', id: `net-tab-${view}`, 'aria-controls': `net-view-${view}`, text,
    dataset: { field: 'tab' }, onclick: () => show(view, false),
    onkeydown: (e) => { if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') show(view === 'depth' ? 'train' : 'depth', true); },
  });
  const tabs = { depth: btn('depth', 'Depth'), train: btn('train', 'Training') };
  const views = {
    depth: h('div', { role: 'tabpanel', id: 'net-view-depth', 'aria-labelledby': 'net-tab-depth', class: 'net-view' }),
    train: h('div', { role: 'tabpanel', id: 'net-view-train', 'aria-labelledby': 'net-tab-train', class: 'net-view' }),
  };
  const bar = h('div', { class: 'net-bar' },
    h('nav', { class: 'tabs net-subtabs', role: 'tablist', 'aria-label': 'Network views' }, tabs.depth, tabs.train),
    h('p', { class: 'small muted net-intro', text: 'Networks built by the lab\'s engine as nn.Sequential(Linear, activation, …) in float64, with PyTorch\'s seeded initialisation.' }));
  panel.replaceChildren(...(only ? [] : [bar]), views.depth, views.train);

  const theme = () => app.theme;
  const built = { depth: null, train: null };
  const build = (view) => {
    if (built[view]) return built[view];
    if (view === 'depth') built.depth = createDepthView(views.depth, { lab, catalog, state: st.depth, setState, theme, canEdit: (f) => app.teach?.canEdit(f) ?? true, embedded: !!embed });
    else if (createTrainingView) built.train = createTrainingView({ root: views.train, lab, catalog, state: st.train, setState, app });
    else {
      views.train.replaceChildren(h('p', { class: 'muted net-placeholder', role: 'status', text: 'The training playground is not part of this build yet.' }));
      built.train = { render() {}, onTheme() {} };
    }
    return built[view];
  };

  function show(view, focus) {
    st.view = view;
    for (const v of ['depth', 'train']) {
      const on = v === view;
      tabs[v].setAttribute('aria-selected', String(on));
      tabs[v].tabIndex = on ? 0 : -1;
      views[v].hidden = !on;
      if (on && focus) tabs[v].focus();
    }
    build(view).render?.();
    setState();
  }

  return {
    render() { show(st.view, false); },
    onTheme() { for (const v of Object.values(built)) v?.onTheme?.(); },
    // a link edited by hand (hashchange): take its state for the tab
    reload() {
      const again = [];
      const next = parseNetState(app.state.netLink, again);
      const keepView = only ?? next.view;
      st.view = keepView;
      Object.assign(st.depth, next.depth);
      checkAct(again);
      noteIgnored(app, again);
      built.depth?.setDepthState(st.depth);
      st.train = next.train;
      if (built.train?.setState) built.train.setState(st.train);
      show(st.view, false);
    },
    get state() { return st; },
    views: built,
    lab,
  };
}

// Adds the tab's unreadable link values to the one-line notice above the app (teach.js draws it
// for the shell's own values at start).
function noteIgnored(app, items) {
  if (!items.length) return;
  const main = app.root.querySelector('.main');
  let notice = app.root.querySelector('.link-notice');
  if (!notice) {
    notice = h('p', { class: 'link-notice small', role: 'status', text: 'Ignored in the link: ' });
    main?.before(notice);
    notice.dataset.items = '';
  }
  const prev = notice.textContent.replace(/^Ignored in the link: /, '');
  notice.textContent = `Ignored in the link: ${[prev, ...items].filter(Boolean).join('; ')}`;
}
