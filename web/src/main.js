// Design note: the page's entry point and the one place that knows about the whole app: it
// loads the lab (the WebAssembly core, bundled into this script so the page also works from
// file://), builds the shell (header, tabs, theme), hands each tab its part of the state, and
// keeps the state and the URL fragment in step. `mount()` is also the embedding API: any element
// with a data-activation-lab attribute gets an app of its own, sized to it, without an iframe.
//
// Parts on demand: what the first visit (the Activations tab) does not need lives in a classic
// script of its own, dist/app-NAME.js beside app.js, which loadPart(NAME) injects once per page
// (every app on the page shares the promise) and which resolves to what the part registered. Now
// one part: 'losses' (the loss workbench, web/src/part-losses.js), loaded the first time the Losses
// tab is shown, or at start when the link, the embed or the state opens that tab ('network' and
// 'formula' run on the 'engine' part, the lab over lab_net: USES loads it beside them). A part's own
// imports of shared modules are the module objects this script publishes on
// globalThis.__activationLossLab.modules (web/build.mjs's SHARED), so the lab, the state and the
// helpers exist once. A <script src> works from file:// and in iframes, and the file is local: no
// request leaves the page. While it loads the tab says so (role=status); if it fails, an inline
// error says which file could not be loaded, and opening the tab again retries.
import createLab from 'lab-module';
import './styles.css';
import SHARED_MODULES from 'virtual:shared-modules';
import { h, copyButton } from './util.js';
import { fromHash, toHash, defaultState } from './state.js';
import { createExplorer } from './explorer.js';
import { scopeIds } from './scope.js';
import { createTeach, applyShell, applyPanels, watchLock } from './teach.js';

// Where the lab's own page lives, for "Open in the full lab" from an embed in another page.
const scriptUrl = document.currentScript?.src ?? '';
const labPage = () => (scriptUrl ? scriptUrl.replace(/app\.js(\?.*)?$/, 'index.html') : location.href.split('#')[0]);

// ---------------------------------------------------------------- parts on demand
const ns = (globalThis.__activationLossLab = { modules: SHARED_MODULES, parts: {}, loads: {} });
const partUrl = (name) => (scriptUrl ? new URL(`app-${name}.js`, scriptUrl).href : `app-${name}.js`);
const USES = { network: 'engine', formula: 'engine' };
const inject = (name) => (ns.loads[name] ??= new Promise((ok, fail) => {
    const s = document.createElement('script');
    s.src = partUrl(name);
    s.onload = () => (ns.parts[name] ? ok(ns.parts[name]) : fail(new Error(`${s.src} did not define the ${name} part`)));
    s.onerror = () => { s.remove(); fail(new Error(`could not load ${s.src}`)); };
    document.head.append(s);
  }).catch((e) => { delete ns.loads[name]; throw e; }));  // a later call tries again
export const loadPart = (name) => Promise.all([USES[name] && inject(USES[name]), inject(name)]).then((r) => r[1]);

let labPromise = null;
// performance marks 'lab-script' / 'lab-ready' / 'lab-first-graph' time the start-up (web/bench.mjs)
const getLab = () => (labPromise ??= (performance.mark('lab-script'), createLab().then((lab) => {
  performance.mark('lab-ready');
  return lab;
})));

let embeddedCount = 0;

export async function mount(root, options = {}) {
  const syncUrl = options.syncUrl ?? false;
  // Apps embedded in another page get their own id prefix; the lab's own page keeps plain ids.
  const idPrefix = options.idPrefix ?? (options.embedded ? `lab${++embeddedCount}-` : '');
  const flushIds = idPrefix ? scopeIds(root, idPrefix) : () => {};
  const state = fromHash(options.state ?? (syncUrl ? location.hash : ''));
  // the workbench's script loads while the lab starts
  if (state.tab === 'loss' || (options.embed ?? state.embed) === 'loss') loadPart('losses').catch(() => {});
  // the Network tab's script (with its own lab: the network engine) loads while this lab starts
  if (state.tab === 'net' || /^(depth|network)$/.test(options.embed ?? state.embed)) loadPart('network').catch(() => {});
  if (state.act.curves.some((c) => c.formula != null)) loadPart('formula').catch(() => {});  // "Your formula" in the link
  const lab = await getLab();
  const catalog = lab.catalog();
  const specs = new Map([...catalog.activations, ...catalog.losses].map((s) => [s.name, s]));
  if (options.embed) state.embed = options.embed;
  if (state.embed === 'loss') state.tab = 'loss';
  if (state.embed === 'depth' || state.embed === 'network') state.tab = 'net';
  sanitize(state, specs, catalog);

  const media = window.matchMedia?.('(prefers-color-scheme: dark)');
  const app = {
    lab, catalog, state, root, loadPart,
    embed: state.embed,
    theme: 'light',
    specOf: (name) => specs.get(name),
    commit() {
      if (!syncUrl) return;
      // a link edited by hand whose hashchange has not run yet wins over a late (debounced)
      // commit of the view it replaces
      if (lastHash !== null && !sameHash(location.hash, lastHash)) return;
      const hash = toHash(state, app.specOf, (n) => specs.get(n)?.example ?? {});
      lastHash = hash;
      if (hash !== location.hash && `#${location.hash.slice(1)}` !== hash) {
        history.replaceState(null, '', hash || `${location.pathname}${location.search}`);
      }
      fullLink.href = fullUrl();
    },
  };
  let lastHash = null;
  app.teach = createTeach(app);

  // ---------------------------------------------------------------- shell
  root.classList.add('lab');
  if (state.embed) root.classList.add('embed', `embed-${state.embed}`);
  const tabAct = h('button', { type: 'button', role: 'tab', id: 'tab-btn-act', 'aria-controls': 'tab-act', class: 'tab', text: 'Activations' });
  const tabLoss = h('button', { type: 'button', role: 'tab', id: 'tab-btn-loss', 'aria-controls': 'tab-loss', class: 'tab', text: 'Losses' });
  const tabNet = h('button', { type: 'button', role: 'tab', id: 'tab-btn-net', 'aria-controls': 'tab-net', class: 'tab', text: 'Network' });
  const themeBtn = h('button', { type: 'button', class: 'btn btn-small', id: 'theme-toggle' });
  // "Open in the full lab" from an embed opens it to explore: without the embed's lock and panel
  // choice (what is hidden and the words stay); the full page's Copy link keeps everything
  const fullUrl = () => {
    const teach = state.embed ? { ...state.teach, edit: null, panels: null } : state.teach;
    const hash = toHash({ ...state, embed: '', teach }, app.specOf, (n) => specs.get(n)?.example ?? {});
    return `${syncUrl ? location.href.split('#')[0] : labPage()}${hash}`;
  };
  const fullLink = h('a', { class: 'open-full small', href: '#', target: '_blank', rel: 'noopener', text: 'Open in the full lab ↗' });
  const header = h('header', { class: 'site-header' },
    h('div', { class: 'brand' },
      h('span', { class: 'logo', 'aria-hidden': 'true', text: 'ƒ′' }),
      h('div', {}, h('h1', { class: 'site-title', text: 'Activation & Loss Lab' }),
        h('p', { class: 'tagline', text: 'Every torch.nn activation and loss, with its gradient, computed exactly as PyTorch does (float64).' }))),
    h('nav', { class: 'tabs', role: 'tablist', 'aria-label': 'Sections' }, tabAct, tabLoss, tabNet),
    h('div', { class: 'header-actions' }, copyButton(() => fullUrl(), 'Copy link'), themeBtn));
  const panelAct = h('div', { role: 'tabpanel', id: 'tab-act', 'aria-labelledby': 'tab-btn-act', class: 'tab-panel' });
  const panelLoss = h('div', { role: 'tabpanel', id: 'tab-loss', 'aria-labelledby': 'tab-btn-loss', class: 'tab-panel' });
  const footer = h('footer', { class: 'site-footer small muted' },
    h('p', { text: 'Values, derivatives, defaults, formulas and notes all come from the lab\'s C++ registry, compiled to WebAssembly; nothing leaves this page. RReLU is shown in evaluation mode.' }));
  const panelNet = h('div', { role: 'tabpanel', id: 'tab-net', 'aria-labelledby': 'tab-btn-net', class: 'tab-panel' });
  const mainEl = h('main', { class: 'main' }, panelAct, panelLoss, panelNet);
  root.replaceChildren(...(state.embed ? [mainEl, h('div', { class: 'embed-foot' }, fullLink)]
    : [header, mainEl, footer]));

  // ---------------------------------------------------------------- theme
  const applyTheme = () => {
    app.theme = state.theme || (media?.matches ? 'dark' : 'light');
    root.dataset.theme = app.theme;
    if (!options.embedded) document.documentElement.dataset.theme = app.theme;
    themeBtn.textContent = `Theme: ${state.theme || 'auto'}`;
    themeBtn.title = 'Colour theme: automatic (follows the system), dark or light';
  };
  applyTheme();
  const rethemed = () => { applyTheme(); explorer.onTheme(); workbench?.onTheme(); netTab?.onTheme(); };
  media?.addEventListener?.('change', () => { if (!state.theme) rethemed(); });
  themeBtn.addEventListener('click', () => {
    state.theme = { '': 'dark', dark: 'light', light: '' }[state.theme];
    rethemed();
    app.commit();
  });

  // ---------------------------------------------------------------- tabs
  const explorer = createExplorer(panelAct, app);
  let workbench = null;  // created when its part has loaded (loadPart('losses'))
  let netTab = null;  // the Network tab, once its part (loadPart('network')) and its lab have loaded
  applyShell(app, { root, main: mainEl });
  watchLock(root, app.teach);
  const rendered = { act: false, loss: false, net: false };
  // Draws the Losses tab, loading its part first if need be; the promise settles when it is drawn
  // (or the failure is shown).
  const renderLoss = () => {
    if (workbench) { rendered.loss = true; workbench.render(); return Promise.resolve(); }
    if (!panelLoss.querySelector('.part-status')) {
      panelLoss.replaceChildren(h('p', { class: 'part-status muted', role: 'status', text: 'Loading the loss workbench…' }));
    }
    return loadPart('losses').then(({ createWorkbench }) => {
      workbench ??= createWorkbench(panelLoss, app);
      app.workbench = workbench;
      applyPanels(app);
      if (state.tab === 'loss' && !rendered.loss) { rendered.loss = true; workbench.render(); }
      flushIds();
    }, (e) => {
      if (workbench) return;
      panelLoss.replaceChildren(h('p', { class: 'banner-error part-error', role: 'alert',
        text: `The loss workbench could not be loaded (${e.message}). Open the Losses tab again to retry.` }));
    });
  };
  // The Network tab the same way: its part brings its own lab (lab_net) and mounts the tab.
  const renderNet = () => {
    if (netTab) { rendered.net = true; netTab.reload(); return Promise.resolve(); }
    if (!panelNet.querySelector('.part-status')) {
      panelNet.replaceChildren(h('p', { class: 'part-status muted', role: 'status', text: 'Loading the network engine…' }));
    }
    return loadPart('network').then((part) => part.mountNetworkTab(panelNet, app)).then((tab) => {
      netTab ??= tab;
      app.netTab = netTab;
      if (state.tab === 'net' && !rendered.net) { rendered.net = true; netTab.render(); }
      flushIds();
    }, (e) => {
      if (netTab) return;
      panelNet.replaceChildren(h('p', { class: 'banner-error part-error', role: 'alert',
        text: `The Network tab could not be loaded (${e.message}). Open the Network tab again to retry.` }));
    });
  };
  let netReady = Promise.resolve();
  let lossReady = Promise.resolve();
  const showTab = (tab, focus) => {
    state.tab = tab;
    for (const [btn, panel, name] of [[tabAct, panelAct, 'act'], [tabLoss, panelLoss, 'loss'], [tabNet, panelNet, 'net']]) {
      const on = name === tab;
      btn.setAttribute('aria-selected', String(on));
      btn.tabIndex = on ? 0 : -1;
      panel.hidden = !on;
      if (on && !rendered[name]) {
        if (name === 'act') { rendered.act = true; explorer.render(); } else if (name === 'loss') lossReady = renderLoss(); else netReady = renderNet();
      }
      if (on && focus) btn.focus();
    }
  };
  tabAct.addEventListener('click', () => { showTab('act'); app.commit(); });
  tabLoss.addEventListener('click', () => { showTab('loss'); app.commit(); });
  tabNet.addEventListener('click', () => { showTab('net'); app.commit(); });
  const order = ['act', 'loss', 'net'];
  for (const btn of [tabAct, tabLoss, tabNet]) {
    btn.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
        showTab(order[(order.indexOf(state.tab) + (e.key === 'ArrowRight' ? 1 : 2)) % 3], true);
        app.commit();
      }
    });
  }
  showTab(state.tab);
  app.commit();
  fullLink.href = fullUrl();
  await lossReady;  // a link or embed that opens on the Losses tab: mounted once it is drawn
  await netReady;  // the same for the Network tab

  // A link edited by hand (or back/forward) restores that state.
  if (syncUrl) {
    window.addEventListener('hashchange', () => {
      if (location.hash === lastHash || (!location.hash && !lastHash)) return;
      lastHash = location.hash;  // this hash is the state now: commits may write it again
      const next = fromHash(location.hash);
      sanitize(next, specs, catalog);
      const wasPresent = state.teach.present;
      Object.assign(state, next);
      // the teaching options as the edited link has them: title, caption, panels, presentation
      // type, lock and hidden parts, before the views redraw (they read hide= and the lock)
      app.teach.refresh();
      applyShell(app, { root, main: mainEl });
      watchLock(root, app.teach);
      rendered.act = rendered.loss = rendered.net = false;
      applyTheme();
      if (state.teach.present !== wasPresent) { explorer.onTheme(); workbench?.onTheme(); }  // the graphs' type size
      showTab(state.tab);
      app.commit();  // remember this hash, so returning to the previous one is seen as a change
    });
  }
  app.explorer = explorer;
  app.workbench = workbench;  // null until the Losses tab's part has loaded
  app.netTab = netTab;  // null until the Network tab's part has loaded
  app.idPrefix = idPrefix;
  flushIds();
  root.dispatchEvent(new CustomEvent('lab-ready', { bubbles: true, detail: app }));
  return app;
}

// The same link, however the browser percent-encodes it.
function sameHash(a, b) {
  try { return decodeURIComponent(a || '') === decodeURIComponent(b || ''); } catch { return a === b; }
}

// Unknown names from a hand-edited link fall back to defaults instead of breaking the page:
// state.js's default view, or (should the registry lack its names) the catalog's first function
// of the kind. What was dropped is named in state.ignored (the one-line notice above the app).
function sanitize(state, specs, catalog) {
  const d = defaultState();
  const known = (name, kind) => specs.get(name)?.kind === kind;
  const or = (name, kind, list) => (known(name, kind) ? name : list.find((s) => s.kind === kind)?.name ?? '');
  const drop = (what) => state.ignored.push(what);
  const a = state.act;
  const ok = (c) => c.formula != null || known(c.name, 'elementwise');  // "Your formula": its part checks it
  for (const c of a.curves) if (!ok(c)) drop(`f=${c.name} (no such activation)`);
  a.curves = a.curves.filter(ok);
  if (!a.curves.length) a.curves = d.act.curves.map((c) => ({ ...c, name: or(c.name, 'elementwise', catalog.activations) }));
  if (a.active >= a.curves.length) a.active = 0;
  for (const c of a.curves) {
    if (c.formula != null) continue;
    const known = new Set(specs.get(c.name).params.map((p) => p.name));
    for (const k of Object.keys(c.params)) if (!known.has(k)) { drop(`${k}= (${c.name} has no such parameter)`); delete c.params[k]; }
  }
  if (!known(a.vec.name, 'vector')) {
    if (a.mode === 'vector') drop(`vec=${a.vec.name} (no such vector function)`);
    a.vec.name = or(d.act.vec.name, 'vector', catalog.activations); a.vec.params = {}; a.mode = 'curve';
  }
  if (!known(state.loss.name, 'loss')) {
    drop(`loss=${state.loss.name} (no such loss)`);
    state.loss.name = catalog.losses[0]?.name ?? '';
    state.loss.params = {};
    state.loss.args = {};
  }
  const ls = specs.get(state.loss.name);
  if (ls) {
    for (const k of Object.keys(state.loss.params)) if (!ls.params.some((p) => p.name === k)) { drop(`p.${k} (${ls.name} has no such parameter)`); delete state.loss.params[k]; }
    for (const k of Object.keys(state.loss.args)) if (!ls.args.some((x) => x.name === k)) { drop(`a.${k} (${ls.name} has no such argument)`); delete state.loss.args[k]; }
  }
}

// ---------------------------------------------------------------- start
async function start() {
  const apps = [];
  const main = document.getElementById('lab-app');
  try {
    if (main) apps.push(await mount(main, { syncUrl: true }));
    for (const el of document.querySelectorAll('[data-activation-lab]')) {
      apps.push(await mount(el, { state: el.dataset.activationLab, embed: el.dataset.embed || 'graph', embedded: true }));
    }
  } catch (e) {
    const target = main ?? document.body;
    target.prepend(h('div', { class: 'banner-error', role: 'alert', text: `The lab could not start: ${e.message}` }));
    throw e;
  }
  window.ActivationLossLab.apps = apps;
}

window.ActivationLossLab = { mount, loadPart, createLab: getLab, apps: [] };
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
