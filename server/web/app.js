// depeche: the page. Plain JavaScript, no library, nothing from another site. Every element is built
// with the DOM (never innerHTML of data), so that a dispatch's text can hold anything.
'use strict';

const $ = (id) => document.getElementById(id);

// el('a', {href: '#', class: 'x'}, 'text', child…): an element with attributes and children.
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

const state = {
  token: sessionStorage.getItem('depeche-token') || '',
  info: null,
  modelLabels: [],
  archiveLabels: [],   // [{label, count}]
  colours: new Map(),  // label → colour index
  current: [],         // ids of the results shown last (for the map)
  listOffset: 0,
  listTotal: 0,
  matrix: null,
  cursor: [0, 0],
};

// --- the API

class ApiError extends Error {
  constructor(msg, status, field) { super(msg); this.status = status; this.field = field; }
}

async function api(method, path, body) {
  for (let attempt = 0; attempt < 2; attempt++) {
    const headers = {Accept: 'application/json'};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (state.token) headers.Authorization = 'Bearer ' + state.token;
    let r;
    try {
      r = await fetch(path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body)});
    } catch (e) {
      throw new ApiError('le serveur ne répond pas (' + e.message + ')', 0);
    }
    let j = null;
    try { j = await r.json(); } catch (e) { /* not JSON */ }
    if (r.status === 401 && attempt === 0) {
      await askToken();
      continue;
    }
    if (!r.ok) throw new ApiError((j && j.error) || r.statusText, r.status, j && j.field);
    return j;
  }
  throw new ApiError('jeton refusé', 401);
}

function askToken() {
  return new Promise((resolve) => {
    const d = $('token-dialog');
    const f = $('token-form');
    f.onsubmit = () => {
      state.token = $('token').value.trim();
      sessionStorage.setItem('depeche-token', state.token);
      resolve();
    };
    d.onclose = () => resolve();
    d.showModal();
    $('token').focus();
  });
}

function say(msg) { $('status').textContent = msg; }

function showError(id, e) {
  const box = $(id);
  box.textContent = e ? 'Erreur : ' + (e.message || e) : '';
}

function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== '' && v !== undefined && v !== null) u.set(k, v);
  const s = u.toString();
  return s ? '?' + s : '';
}

// --- labels and colours

function colourOf(label) {
  if (!state.colours.has(label)) state.colours.set(label, state.colours.size % 12);
  return state.colours.get(label);
}

function swatch(label) { return el('span', {class: 'swatch c' + colourOf(label), 'aria-hidden': 'true'}); }

function chips(labels) {
  const box = el('span', {class: 'chips'});
  if (!labels || labels.length === 0) box.append(el('span', {class: 'chip', text: 'sans thème'}));
  for (const l of labels || []) box.append(el('span', {class: 'chip', text: l}));
  return box;
}

function allLabels(extra) {
  const set = new Set(state.modelLabels);
  for (const x of state.archiveLabels) set.add(x.label);
  for (const l of extra || []) set.add(l);
  return [...set].sort((a, b) => a.localeCompare(b, 'fr'));
}

async function loadInfo() {
  try {
    const [info, labels] = await Promise.all([api('GET', '/v1/info'), api('GET', '/v1/labels')]);
    state.info = info;
    state.modelLabels = labels.model || [];
    state.archiveLabels = labels.archive || [];
    state.modelLabels.forEach(colourOf);
    for (const sel of document.querySelectorAll('.label-select')) {
      const keep = sel.value;
      sel.replaceChildren(el('option', {value: '', text: 'Tous les thèmes'}));
      for (const x of state.archiveLabels) sel.append(el('option', {value: x.label, text: x.label + ' (' + x.count.toLocaleString('fr-FR') + ')'}));
      sel.value = keep;
    }
    const a = info.archive;
    $('foot-info').textContent = 'Modèle : ' + info.model.name + ' (' + info.model.labels.length + ' thèmes) · archive : ' +
      a.name.split('/').pop() + ' (' + a.dispatches.toLocaleString('fr-FR') + ' dépêches' + (a.writable ? '' : ', en lecture seule') + ')';
  } catch (e) {
    say('Erreur : ' + e.message);
  }
}

// --- themes, evidence, similar results

const levels = {high: 'Confiance élevée', low: 'Confiance faible', 'out-of-domain': 'Hors domaine'};

// passing says why a theme whose score passes is not predicted: in a long article, neither the lead nor
// about a third of the text carries it (the passage rule, models.Passages).
function passing(l) {
  if (!l.passages || l.predicted) return '';
  return ' · mention en passant : hors du chapô, ' + Math.round(l.passages.share * 100) + ' % du texte';
}

function renderThemes(res, list, conf) {
  list.replaceChildren();
  for (const l of res.labels) {
    const pct = Math.round(l.score * 100);
    const bar = el('div', {class: 'bar c' + colourOf(l.label)});
    bar.style.width = Math.max(0.5, l.score * 100) + '%';
    const li = el('li', {class: 'theme' + (l.predicted ? ' predicted' : '')},
      el('span', {class: 'name'}, swatch(l.label), l.label),
      el('div', {class: 'track', role: 'img', 'aria-label': l.label + ' : ' + pct + ' %'}, bar),
      el('span', {class: 'score', text: l.score.toFixed(2)}),
      el('span', {class: 'words', text: (l.terms.length ? 'mots décisifs : ' + l.terms.join(', ') : 'aucun mot décisif') + passing(l)}));
    list.append(li);
  }
  const c = res.confidence;
  conf.className = 'confidence ' + (c ? c.level : '');
  if (!c) { conf.textContent = ''; return; }
  const pred = res.labels.filter((l) => l.predicted).map((l) => l.label);
  conf.textContent = (levels[c.level] || c.level) + ' · ' + c.known_terms + ' mots connus du modèle (' +
    Math.round(c.coverage * 100) + ' % des mots du texte)' + (c.reason ? ' · ' + c.reason : '') +
    ' · ' + (pred.length ? 'thèmes prédits : ' + pred.join(', ') : 'aucun thème prédit');
}

// highlight writes text into box with the evidence words of the predicted themes (or of the three best
// when none is predicted) marked in their theme's colour; legend lists the themes shown.
function highlight(text, res, box, legend) {
  text = text.replace(/\n[ \t\u00a0]*(\n[ \t\u00a0]*)+/g, '\n\n'); // scraped pages leave runs of blank lines
  let shown = res.labels.filter((l) => l.predicted);
  if (shown.length === 0) shown = res.labels.slice(0, 3);
  const byWord = new Map();
  for (const l of shown) for (const t of l.terms) if (!byWord.has(t.toLowerCase())) byWord.set(t.toLowerCase(), l.label);
  legend.replaceChildren();
  for (const l of shown) legend.append(el('li', {}, swatch(l.label), l.label));
  box.replaceChildren();
  const words = [...byWord.keys()].sort((a, b) => b.length - a.length).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  if (words.length === 0) { box.textContent = text; return 0; }
  const re = new RegExp('(?<![\\p{L}\\p{N}_])(' + words.join('|') + ')(?![\\p{L}\\p{N}_])', 'giu');
  let last = 0, n = 0;
  for (const m of text.matchAll(re)) {
    box.append(text.slice(last, m.index));
    const label = byWord.get(m[0].toLowerCase());
    box.append(el('mark', {class: 'ev h' + colourOf(label), title: label}, m[0]));
    last = m.index + m[0].length;
    n++;
  }
  box.append(text.slice(last));
  return n;
}

function dispatchLink(r) {
  return el('a', {href: '#/depeche/' + encodeURIComponent(r.id), class: 'title'}, r.title || r.id);
}

function renderResults(list, results, emptyMsg) {
  list.replaceChildren();
  if (results.length === 0) { list.append(el('li', {class: 'empty', text: emptyMsg})); return; }
  for (const r of results) {
    const line = el('p', {class: 'line'});
    if (r.score) line.append(el('span', {}, 'similarité ', el('span', {class: 'scorev', text: r.score.toFixed(3)})));
    line.append(el('span', {text: r.date ? 'du ' + r.date : 'sans date'}));
    if (r.source) line.append(el('span', {text: r.source}));
    line.append(el('span', {text: r.id}));
    line.append(chips(r.labels));
    const li = el('li', {class: 'result'}, dispatchLink(r), line);
    if (r.terms && r.terms.length) li.append(el('p', {class: 'shared', text: 'mots communs : ' + r.terms.slice(0, 12).join(', ')}));
    list.append(li);
  }
}

function filtersOf(prefix) {
  return {label: $(prefix + '-label').value, since: $(prefix + '-since').value.trim(), until: $(prefix + '-until').value.trim()};
}

function labelChecks(box, labels, checked) {
  box.replaceChildren();
  for (const l of labels) {
    const id = box.id + '-' + l.replace(/[^a-z0-9]/g, '_');
    box.append(el('div', {class: 'check'},
      el('input', {type: 'checkbox', id, value: l, checked: checked.includes(l)}),
      el('label', {for: id}, swatch(l), ' ' + l)));
  }
}

function checkedLabels(box, otherInput) {
  const out = [...box.querySelectorAll('input:checked')].map((i) => i.value);
  for (const l of otherInput.value.split(',')) if (l.trim()) out.push(l.trim().toLowerCase());
  return [...new Set(out)];
}

// --- the analyse view

async function analyse(ev) {
  ev.preventDefault();
  const text = $('text').value;
  showError('analyse-error', null);
  if (!text.trim()) { showError('analyse-error', 'le texte est vide : collez une dépêche'); $('text').focus(); return; }
  const k = parseInt($('k').value, 10);
  const body = Object.assign({text, k: isNaN(k) ? 10 : k}, filtersOf('a'));
  say('Analyse en cours…');
  try {
    const [c, s] = await Promise.all([api('POST', '/v1/classify', {text}), api('POST', '/v1/similar', body)]);
    $('analyse-results').hidden = false;
    renderThemes(c, $('themes'), $('confidence'));
    const n = highlight(text, c, $('evidence'), $('legend'));
    renderResults($('similar'), s.results, 'Aucune dépêche proche avec ces filtres.');
    state.current = s.results.map((r) => r.id);
    labelChecks($('add-labels'), allLabels(), c.labels.filter((l) => l.predicted).map((l) => l.label));
    $('add-result').textContent = '';
    const pred = c.labels.filter((l) => l.predicted).length;
    say('Analyse faite : ' + pred + ' thème(s) prédit(s), ' + n + ' mot(s) décisif(s) surligné(s), ' + s.results.length + ' dépêche(s) proche(s).');
    $('h-themes').scrollIntoView({block: 'start'});
  } catch (e) {
    say('');
    showError('analyse-error', e);
  }
}

async function addPasted(ev) {
  ev.preventDefault();
  const d = {text: $('text').value, title: $('add-title').value, id: $('add-id').value, date: $('add-date').value, source: $('add-source').value,
    labels: checkedLabels($('add-labels'), $('add-other'))};
  const out = $('add-result');
  out.replaceChildren();
  try {
    const r = await api('POST', '/v1/dispatches', {dispatches: [d]});
    const id = r.ids[0];
    out.append(el('p', {class: 'ok'}, r.added ? 'Dépêche ajoutée à l\'archive : ' : 'Cette dépêche était déjà dans l\'archive : ',
      el('a', {href: '#/depeche/' + encodeURIComponent(id), text: id})));
    loadInfo();
  } catch (e) {
    out.append(el('p', {class: 'error', text: 'Erreur : ' + e.message}));
  }
}

function readFile(file) {
  if (!file) return;
  if (file.size > 4 << 20) { showError('analyse-error', 'fichier trop gros (plus de 4 Mo)'); return; }
  file.text().then((t) => { $('text').value = t; say('Fichier « ' + file.name + ' » chargé : ' + t.length.toLocaleString('fr-FR') + ' caractères.'); });
}

// --- one dispatch

async function showDispatch(id) {
  showError('d-error', null);
  $('d-saved').textContent = '';
  $('d-title').textContent = id;
  for (const x of ['d-meta', 'd-themes', 'd-text', 'd-similar', 'd-legend', 'd-labels']) $(x).replaceChildren();
  $('d-confidence').textContent = '';
  let d;
  try {
    d = await api('GET', '/v1/dispatches/' + encodeURIComponent(id));
  } catch (e) {
    showError('d-error', e);
    return;
  }
  state.dispatch = d;
  $('d-title').textContent = d.title || d.id;
  document.title = (d.title || d.id) + ' — depeche';
  const meta = $('d-meta');
  const row = (k, v) => { if (v) meta.append(el('dt', {text: k}), el('dd', {}, v)); };
  row('Identifiant', d.id);
  row('Date', d.date);
  row('Source', d.source);
  if (d.url && /^https?:\/\//.test(d.url)) row('Adresse', el('a', {href: d.url, rel: 'noopener noreferrer', target: '_blank'}, d.url));
  row('Événement', d.event);
  row('Thèmes', chips(d.labels));
  labelChecks($('d-labels'), allLabels(d.labels), d.labels);
  $('d-other').value = '';
  try {
    const [c, s] = await Promise.all([
      api('POST', '/v1/classify', {text: d.text}),
      api('GET', '/v1/dispatches/' + encodeURIComponent(id) + '/similar' + qs({k: 10}))]);
    renderThemes(c, $('d-themes'), $('d-confidence'));
    highlight(d.text, c, $('d-text'), $('d-legend'));
    renderResults($('d-similar'), s.results, 'Aucune dépêche proche.');
    state.current = [d.id, ...s.results.map((r) => r.id)];
  } catch (e) {
    $('d-text').textContent = d.text;
    showError('d-error', e);
  }
}

async function saveLabels(ev) {
  ev.preventDefault();
  const d = state.dispatch;
  if (!d) return;
  const labels = checkedLabels($('d-labels'), $('d-other'));
  try {
    const r = await api('PUT', '/v1/dispatches/' + encodeURIComponent(d.id) + '/labels', {labels});
    d.labels = r.labels;
    $('d-saved').replaceChildren(el('span', {class: 'ok', text: 'Thèmes enregistrés : ' + (r.labels.length ? r.labels.join(', ') : 'aucun') + '.'}));
    labelChecks($('d-labels'), allLabels(r.labels), r.labels);
    $('d-other').value = '';
    const meta = $('d-meta');
    const dts = [...meta.querySelectorAll('dt')];
    const dt = dts.find((x) => x.textContent === 'Thèmes');
    if (dt) dt.nextElementSibling.replaceChildren(chips(r.labels));
    loadInfo();
  } catch (e) {
    $('d-saved').replaceChildren(el('span', {class: 'error', text: 'Erreur : ' + e.message}));
  }
}

// --- the archive

async function listArchive(ev) {
  if (ev) { ev.preventDefault(); state.listOffset = 0; }
  showError('archive-error', null);
  const f = filtersOf('r');
  const q = $('r-q').value.trim();
  try {
    const p = await api('GET', '/v1/dispatches' + qs(Object.assign({q, offset: state.listOffset, limit: 25}, f)));
    state.listTotal = p.total;
    renderResults($('archive-list'), p.items, 'Aucune dépêche avec ces filtres.');
    state.current = p.items.map((x) => x.id);
    const from = p.total ? p.offset + 1 : 0, to = p.offset + p.items.length;
    $('archive-count').textContent = !p.items.length ? '' : q
      ? 'Dépêches ' + from.toLocaleString('fr-FR') + ' à ' + to.toLocaleString('fr-FR') + (p.more ? ' et suivantes' : '') + ', classées par ressemblance avec « ' + q + ' »'
      : 'Dépêches ' + from.toLocaleString('fr-FR') + ' à ' + to.toLocaleString('fr-FR') + ' sur ' + p.total.toLocaleString('fr-FR') + ' (les plus récentes d\'abord)';
    $('prev').disabled = p.offset === 0;
    $('next').disabled = !p.more;
  } catch (e) {
    showError('archive-error', e);
  }
}

// --- the heatmap

function heatColour(v, max) {
  const t = max > 0 ? Math.min(1, v / max) : 0;
  // white → #6baed6 → #08306b
  const stops = [[255, 255, 255], [107, 174, 214], [8, 48, 107]];
  const i = t < 0.5 ? 0 : 1, u = t < 0.5 ? t * 2 : (t - 0.5) * 2;
  const c = stops[i].map((a, j) => Math.round(a + (stops[i + 1][j] - a) * u));
  return 'rgb(' + c.join(',') + ')';
}

async function drawMap(ev) {
  if (ev) ev.preventDefault();
  showError('map-error', null);
  const useFilter = $('set-filter').checked;
  let body;
  if (useFilter) {
    const lim = parseInt($('m-limit').value, 10);
    body = Object.assign({limit: isNaN(lim) ? 50 : lim}, filtersOf('m'));
  } else {
    if (state.current.length < 2) { showError('map-error', 'il faut au moins deux dépêches affichées : analysez un texte ou filtrez l\'archive, ou choisissez un thème et une période'); return; }
    body = {ids: state.current};
  }
  say('Calcul de la carte…');
  try {
    const m = await api('POST', '/v1/matrix', body);
    if (m.ids.length < 2) { say(''); showError('map-error', 'moins de deux dépêches à comparer'); return; }
    state.matrix = m;
    state.cursor = [0, 1];
    $('map-out').hidden = false;
    paintMap();
    const items = $('map-items');
    items.replaceChildren();
    m.ids.forEach((id, i) => items.append(el('li', {}, el('a', {href: '#/depeche/' + encodeURIComponent(id), text: (m.titles[i] || id)}), ' ', el('span', {class: 'hint', text: (m.dates[i] || '') + ' ' + id}))));
    say('Carte de ' + m.ids.length + ' dépêches.');
  } catch (e) {
    say('');
    showError('map-error', e);
  }
}

function mapMax(m) {
  let max = 0;
  m.matrix.forEach((row, i) => row.forEach((v, j) => { if (i !== j && v > max) max = v; }));
  return max || 1;
}

function paintMap() {
  const m = state.matrix;
  const cv = $('heatmap');
  const n = m.ids.length;
  const css = cv.getBoundingClientRect().width || 600;
  const px = Math.max(n, Math.floor(css * (window.devicePixelRatio || 1)));
  cv.width = px; cv.height = px;
  const g = cv.getContext('2d');
  const cell = px / n, max = mapMax(m);
  $('scale-max').textContent = max.toFixed(2);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    g.fillStyle = i === j ? '#9aa3ae' : heatColour(m.matrix[i][j], max);
    g.fillRect(Math.floor(j * cell), Math.floor(i * cell), Math.ceil(cell), Math.ceil(cell));
  }
  const [ci, cj] = state.cursor;
  g.strokeStyle = '#d4351c'; g.lineWidth = Math.max(2, cell / 8);
  g.strokeRect(cj * cell + 1, ci * cell + 1, cell - 2, cell - 2);
  cv.setAttribute('aria-label', 'Carte de similarité de ' + n + ' dépêches, de 0 (blanc) à ' + max.toFixed(2) + ' (bleu foncé)');
}

function pairText(i, j) {
  const m = state.matrix;
  const name = (k) => '« ' + (m.titles[k] || m.ids[k]) + ' » (' + m.ids[k] + ')';
  return name(i) + ' × ' + name(j) + ' : similarité ' + m.matrix[i][j].toFixed(3);
}

function cellAt(ev) {
  const cv = $('heatmap'), r = cv.getBoundingClientRect(), n = state.matrix.ids.length;
  const j = Math.floor((ev.clientX - r.left) / r.width * n), i = Math.floor((ev.clientY - r.top) / r.height * n);
  return i >= 0 && j >= 0 && i < n && j < n ? [i, j] : null;
}

function mapHover(ev) {
  if (!state.matrix) return;
  const c = cellAt(ev), tip = $('tooltip');
  if (!c) { tip.hidden = true; return; }
  tip.textContent = pairText(c[0], c[1]);
  tip.hidden = false;
  const wrap = tip.parentElement.getBoundingClientRect();
  let x = ev.clientX - wrap.left + 12, y = ev.clientY - wrap.top + 12;
  if (x + tip.offsetWidth > wrap.width) x = Math.max(0, ev.clientX - wrap.left - tip.offsetWidth - 12);
  tip.style.left = x + 'px'; tip.style.top = y + 'px';
  $('pair').textContent = pairText(c[0], c[1]);
}

function mapKey(ev) {
  if (!state.matrix) return;
  const n = state.matrix.ids.length;
  let [i, j] = state.cursor;
  switch (ev.key) {
    case 'ArrowUp': i = Math.max(0, i - 1); break;
    case 'ArrowDown': i = Math.min(n - 1, i + 1); break;
    case 'ArrowLeft': j = Math.max(0, j - 1); break;
    case 'ArrowRight': j = Math.min(n - 1, j + 1); break;
    case 'Enter': location.hash = '#/depeche/' + encodeURIComponent(state.matrix.ids[i]); return;
    default: return;
  }
  ev.preventDefault();
  state.cursor = [i, j];
  paintMap();
  $('pair').textContent = pairText(i, j);
}

// --- the timeline

const svgNS = 'http://www.w3.org/2000/svg';
function svg(tag, attrs, ...children) {
  const e = document.createElementNS(svgNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

const monthNames = ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'];
function monthName(m) { const [y, mo] = m.split('-'); return monthNames[parseInt(mo, 10) - 1] + ' ' + y; }

async function drawTimeline(ev) {
  if (ev) ev.preventDefault();
  showError('chrono-error', null);
  try {
    const t = await api('GET', '/v1/timeline' + qs(filtersOf('c')));
    $('chrono-out').hidden = false;
    const ms = t.months;
    const peak = ms.reduce((a, m) => (m.count > a.count ? m : a), {count: 0, month: ''});
    $('chrono-summary').textContent = (t.label ? 'Thème « ' + t.label + ' » : ' : 'Toute l\'archive : ') + t.total.toLocaleString('fr-FR') + ' dépêches' +
      (ms.length ? ', de ' + monthName(ms[0].month) + ' à ' + monthName(ms[ms.length - 1].month) + (peak.count ? ' ; le plus : ' + peak.count + ' en ' + monthName(peak.month) : '') : '') +
      (t.undated ? ' ; ' + t.undated + ' sans date' : '') + '.';
    const W = Math.max(300, Math.min(1100, $('chart').clientWidth || 800)), H = W < 500 ? 220 : 260, L = 40, B = 40, T = 10;
    const max = Math.max(1, peak.count);
    const bw = (W - L - 10) / Math.max(1, ms.length);
    const chart = svg('svg', {viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': $('chrono-summary').textContent});
    for (const v of [...new Set([0, Math.round(max / 2), max])]) {
      const y = T + (H - T - B) * (1 - v / max);
      chart.append(svg('line', {x1: L, x2: W - 10, y1: y, y2: y, stroke: '#c9ced6'}));
      chart.append(svg('text', {x: L - 6, y: y + 4, 'text-anchor': 'end', class: 'axis'}, String(v)));
    }
    const every = Math.ceil(ms.length / Math.max(3, Math.floor((W - L) / 75)));
    ms.forEach((m, i) => {
      const h = (H - T - B) * m.count / max;
      const r = svg('rect', {x: L + i * bw + bw * 0.1, y: T + (H - T - B) - h, width: Math.max(1, bw * 0.8), height: h, class: 'vol'},
        svg('title', {}, monthName(m.month) + ' : ' + m.count + ' dépêche' + (m.count > 1 ? 's' : '')));
      chart.append(r);
      if (i % every === 0) chart.append(svg('text', {x: L + i * bw + bw / 2, y: H - B + 16, 'text-anchor': 'middle', class: 'axis'}, m.month));
    });
    $('chart').replaceChildren(chart);
    const tb = $('chrono-table').tBodies[0];
    tb.replaceChildren();
    for (const m of ms) tb.append(el('tr', {}, el('td', {text: monthName(m.month)}), el('td', {text: String(m.count)})));
  } catch (e) {
    showError('chrono-error', e);
  }
}

// --- navigation

function route() {
  const h = location.hash || '#/analyse';
  let view = 'analyse', arg = '';
  const m = h.match(/^#\/([a-z]+)(?:\/(.*))?$/);
  if (m) { view = m[1]; arg = m[2] ? decodeURIComponent(m[2]) : ''; }
  if (!['analyse', 'archive', 'carte', 'chronologie', 'depeche'].includes(view)) view = 'analyse';
  for (const s of document.querySelectorAll('.view')) s.hidden = s.id !== 'view-' + view;
  for (const a of document.querySelectorAll('nav a')) {
    if (a.dataset.view === view) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  document.title = {analyse: 'Analyser', archive: 'Archive', carte: 'Carte de similarité', chronologie: 'Chronologie', depeche: 'Dépêche'}[view] + ' — depeche';
  say('');
  if (view === 'depeche') showDispatch(arg);
  if (view === 'archive' && !$('archive-list').childElementCount) listArchive();
  if (view === 'carte') $('current-count').textContent = String(state.current.length);
  if (view === 'chronologie' && $('chrono-out').hidden) drawTimeline();
  return view;
}

function init() {
  $('analyse-form').addEventListener('submit', analyse);
  $('add-form').addEventListener('submit', addPasted);
  $('label-form').addEventListener('submit', saveLabels);
  $('archive-form').addEventListener('submit', listArchive);
  $('map-form').addEventListener('submit', drawMap);
  $('chrono-form').addEventListener('submit', drawTimeline);
  $('prev').addEventListener('click', () => { state.listOffset = Math.max(0, state.listOffset - 25); listArchive(); });
  $('next').addEventListener('click', () => { state.listOffset += 25; listArchive(); });
  $('to-map').addEventListener('click', () => { $('set-current').checked = true; location.hash = '#/carte'; drawMap(); });
  $('archive-map').addEventListener('click', () => {
    $('set-filter').checked = true;
    for (const k of ['label', 'since', 'until']) $('m-' + k).value = $('r-' + k).value;
    location.hash = '#/carte';
    drawMap();
  });
  $('back').addEventListener('click', (e) => { if (history.length > 1) { e.preventDefault(); history.back(); } });
  const ta = $('text');
  ta.addEventListener('dragover', (e) => { e.preventDefault(); ta.classList.add('dragging'); });
  ta.addEventListener('dragleave', () => ta.classList.remove('dragging'));
  ta.addEventListener('drop', (e) => { e.preventDefault(); ta.classList.remove('dragging'); readFile(e.dataTransfer.files[0]); });
  $('file').addEventListener('change', (e) => readFile(e.target.files[0]));
  const cv = $('heatmap');
  cv.addEventListener('mousemove', mapHover);
  cv.addEventListener('mouseleave', () => { $('tooltip').hidden = true; });
  cv.addEventListener('click', (e) => { const c = cellAt(e); if (c) { state.cursor = c; paintMap(); $('pair').textContent = pairText(c[0], c[1]); } });
  cv.addEventListener('keydown', mapKey);
  cv.addEventListener('focus', () => { if (state.matrix) $('pair').textContent = pairText(...state.cursor); });
  window.addEventListener('resize', () => { if (state.matrix && !$('map-out').hidden) paintMap(); });
  window.addEventListener('hashchange', () => { route(); $('main').focus({preventScroll: true}); });
  loadInfo().then(route);
}

document.addEventListener('DOMContentLoaded', init);
