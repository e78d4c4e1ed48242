// vigie's search page. Every piece of text that comes from a statement is
// put in the page with textContent (never innerHTML), so that a statement
// holding "<script>" shows as text.
'use strict';

const $ = (id) => document.getElementById(id);
const PAGE = 10;
const FILTERS = ['since', 'until', 'lang', 'source', 'sort'];
let offset = 0;
let lastQuery = null;

/** The form's values as API parameters (empty ones left out). */
function formParams() {
  const p = new URLSearchParams();
  const q = $('q').value.trim();
  if (q) p.set('q', q);
  for (const name of FILTERS) {
    const v = $(name).value.trim();
    if (v && !(name === 'sort' && v === 'score')) p.set(name, v);
  }
  if ($('exact').checked) p.set('exact', 'true');
  return p;
}

/** Fills the form from the page's address (for links and back/forward). */
function fillForm(params) {
  $('q').value = params.get('q') || '';
  for (const name of FILTERS) $(name).value = params.get(name) || (name === 'sort' ? 'score' : '');
  $('exact').checked = params.get('exact') === 'true';
  offset = Number.parseInt(params.get('offset') || '0', 10) || 0;
}

const FRENCH_STATUS = {
  400: 'requête ou filtre invalide',
  404: 'introuvable',
  413: 'requête trop longue',
  500: 'l’index ne peut pas être lu',
  503: 'serveur occupé ou requête trop large, réessayez ou précisez-la',
};

/** Only web links open from a statement: never `javascript:` and the like. */
function webLink(url) {
  return typeof url === 'string' && /^https?:\/\//i.test(url.trim()) ? url.trim() : null;
}

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  let body = null;
  try {
    body = await response.json();
  } catch (_) {
    body = null;
  }
  if (!response.ok) {
    const detail = body && body.error ? body.error.message : response.statusText;
    const summary = FRENCH_STATUS[response.status] || `erreur ${response.status}`;
    throw new Error(`${summary} (${detail})`);
  }
  return body;
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('data-')) node.setAttribute(k, v);
    else node[k] = v;
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    node.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return node;
}

/** `text` with the [start, end) UTF-8 byte ranges in <mark>. */
function highlighted(text, ranges) {
  const bytes = new TextEncoder().encode(text);
  const decode = (a, b) => new TextDecoder().decode(bytes.subarray(a, b));
  const frag = document.createDocumentFragment();
  let at = 0;
  const sorted = [...(ranges || [])].sort((x, y) => x[0] - y[0]);
  for (const [start, end] of sorted) {
    if (start < at || end > bytes.length || start >= end) continue;
    frag.append(document.createTextNode(decode(at, start)));
    frag.append(el('mark', {}, decode(start, end)));
    at = end;
  }
  frag.append(document.createTextNode(decode(at, bytes.length)));
  return frag;
}

const dateFormat = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'UTC' });
function frenchDate(iso) {
  if (!iso) return 'sans date';
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? iso : dateFormat.format(d);
}

const LANGS = { fr: 'français', en: 'anglais' };
const decimal = (x, digits) => x.toLocaleString('fr-FR', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const percent = (share) => `${decimal(share * 100, 2)} %`;
const plural = (n, one, many) => `${n.toLocaleString('fr-FR')} ${n === 1 ? one : many}`;

function renderHit(hit) {
  const open = el('button', { type: 'button', class: 'open', 'data-id': hit.doc_id, 'data-p': String(hit.paragraph) }, hit.title || hit.doc_id);
  open.addEventListener('click', () => openStatement(hit.doc_id, hit.paragraph));
  const meta = [frenchDate(hit.date), `§${hit.paragraph}`, LANGS[hit.lang] || hit.lang];
  if (hit.source) meta.push(hit.source);
  const badges = [];
  if (hit.via === 'synonym') badges.push(el('span', { class: 'badge' }, 'via synonyme'));
  if (hit.via === 'related') badges.push(el('span', { class: 'badge' }, 'via terme associé'));
  if (hit.via === 'twin') badges.push(el('span', { class: 'badge' }, 'via traduction'));
  if (hit.via === 'statement') badges.push(el('span', { class: 'badge' }, 'par sa déclaration'));
  if (hit.partial) badges.push(el('span', { class: 'badge' }, 'partiel'));
  return el('li', { class: 'hit' },
    el('h3', {}, open),
    el('p', { class: 'meta' }, meta.join(' · '), ' ', ...badges),
    el('p', { class: 'text' }, highlighted(hit.text, hit.highlights)));
}

function renderResults(res) {
  const hits = $('hits');
  hits.replaceChildren(...res.hits.map(renderHit));
  hits.start = offset + 1;
  const found = res.total + res.partial;
  let status;
  if (found === 0) status = 'Aucun paragraphe ne correspond.';
  else if (res.returned === 0) status = `Plus de résultat à cette page (${plural(found, 'paragraphe', 'paragraphes')} en tout).`;
  else {
    status = `${plural(res.total, 'paragraphe contient', 'paragraphes contiennent')} la requête`;
    if (res.partial) status += ` (et ${plural(res.partial, 'résultat partiel', 'résultats partiels')})`;
    status += ` — ${offset + 1} à ${offset + res.returned}, en ${decimal(res.elapsed_ms, 1)} ms.`;
  }
  $('status').textContent = status;
  // The engine's notes are in English (as on the command line).
  $('notes').replaceChildren(...res.notes.map((n) => el('li', { lang: 'en' }, n.message)));
  $('pager').hidden = found <= PAGE;
  $('prev').disabled = offset === 0;
  $('next').disabled = offset + res.returned >= found;
  $('page').textContent = res.returned ? `${offset + 1}–${offset + res.returned} sur ${found}` : '';
}

const SVG = 'http://www.w3.org/2000/svg';
function svg(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

function renderTrend(t) {
  const section = $('trend');
  const periods = t.periods || [];
  section.hidden = t.paragraphs === 0;
  if (section.hidden) return;
  const width = 720;
  const height = 180;
  const bottom = 22;
  const max = Math.max(...periods.map((p) => p.share), 1e-9);
  const step = Math.min(width / periods.length, 48);
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height + bottom}`, role: 'img', 'aria-label': `Part des paragraphes par ${t.by === 'month' ? 'mois' : 'année'}` });
  const every = Math.ceil(periods.length / 12);
  periods.forEach((p, i) => {
    const h = Math.round((p.share / max) * height);
    const bar = svg('rect', { x: i * step + 1, y: height - h, width: Math.max(step - 2, 1), height: h, class: 'bar', 'data-period': p.period });
    bar.append(svg('title', {}, `${p.period} : ${percent(p.share)} (${p.paragraphs} sur ${plural(p.all_paragraphs, 'paragraphe', 'paragraphes')}, ${plural(p.statements, 'déclaration', 'déclarations')})`));
    bar.addEventListener('click', () => {
      $('since').value = p.period;
      $('until').value = p.period;
      offset = 0;
      runSearch(true);
    });
    chart.append(bar);
    if (i % every === 0) {
      chart.append(svg('text', { x: i * step + step / 2, y: height + 16, 'text-anchor': 'middle', class: 'label' }, p.period));
    }
  });
  $('chart').replaceChildren(chart);
  const head = el('tr', {}, ...['Période', 'Paragraphes', 'Déclarations', 'Tous les paragraphes', 'Part'].map((h) => el('th', { scope: 'col' }, h)));
  const row = (label, p) => el('tr', {},
    el('th', { scope: 'row' }, label),
    el('td', {}, String(p.paragraphs)),
    el('td', {}, String(p.statements)),
    el('td', {}, String(p.all_paragraphs)),
    el('td', {}, p.all_paragraphs ? percent(p.share) : '–'));
  const rows = periods.map((p) => row(p.period, p));
  if (t.undated) rows.push(row('sans date', t.undated));
  $('undated').textContent = t.undated && t.undated.paragraphs
    ? `Et ${plural(t.undated.paragraphs, 'paragraphe', 'paragraphes')} dans des déclarations sans date (hors du graphique).`
    : '';
  $('trend-table').replaceChildren(el('thead', {}, head), el('tbody', {}, ...rows));
}

async function runSearch(push) {
  const params = formParams();
  if (!params.get('q')) {
    $('status').textContent = 'Tapez une requête.';
    return;
  }
  const address = new URLSearchParams(params);
  if (offset) address.set('offset', String(offset));
  if (push) history.pushState(null, '', `?${address}`);
  const search = new URLSearchParams(params);
  search.set('n', String(PAGE));
  search.set('offset', String(offset));
  $('status').textContent = 'Recherche…';
  try {
    const res = await getJson(`/api/search?${search}`);
    renderResults(res);
  } catch (e) {
    $('status').textContent = `Erreur : ${e.message}`;
    $('hits').replaceChildren();
    $('pager').hidden = true;
    $('trend').hidden = true;
    return;
  }
  const key = params.toString();
  if (key !== lastQuery) {
    lastQuery = key;
    const trend = new URLSearchParams(params);
    trend.delete('sort');
    try {
      renderTrend(await getJson(`/api/trend?${trend}`));
    } catch (_) {
      $('trend').hidden = true;
    }
  }
}

function column(st, mark, label) {
  const list = el('ol', { class: 'paragraphs' });
  for (const p of st.paragraphs) {
    const item = el('li', { 'data-p': String(p.paragraph) }, el('span', { class: 'num' }, `§${p.paragraph}`), ' ', p.text);
    if (p.paragraph === mark) item.className = 'current';
    list.append(item);
  }
  return el('section', { class: 'column', lang: st.lang },
    el('h3', {}, `${label} — ${st.title}`),
    el('p', { class: 'meta' }, [frenchDate(st.date), st.reference, st.source].filter(Boolean).join(' · ')),
    webLink(st.url) ? el('p', { class: 'meta' }, el('a', { href: webLink(st.url), rel: 'noopener noreferrer', target: '_blank' }, 'source en ligne')) : null,
    list);
}

async function openStatement(id, paragraph) {
  const dialog = $('statement');
  let st;
  try {
    st = await getJson(`/api/statements/${encodeURIComponent(id)}`);
  } catch (e) {
    $('status').textContent = `Erreur : ${e.message}`;
    return;
  }
  $('st-title').textContent = st.title || st.doc_id;
  $('st-meta').textContent = st.twin ? `Avec sa version en ${LANGS[st.twin.lang] || st.twin.lang}.` : 'Pas de version dans une autre langue.';
  const columns = [column(st, paragraph, LANGS[st.lang] || st.lang)];
  if (st.twin) {
    try {
      const twin = await getJson(`/api/statements/${encodeURIComponent(st.twin.doc_id)}`);
      const at = st.paragraphs.findIndex((p) => p.paragraph === paragraph);
      const mark = at >= 0 ? st.twin.aligned[at] : -1;
      columns.push(column(twin, mark, LANGS[twin.lang] || twin.lang));
    } catch (_) {
      // The twin is gone since the search: show the statement alone.
    }
  }
  $('st-body').replaceChildren(...columns);
  $('st-body').classList.toggle('two', columns.length === 2);
  if (!dialog.open) dialog.showModal();
  for (const current of dialog.querySelectorAll('li.current')) current.scrollIntoView({ block: 'center' });
  $('close').focus();
}

document.addEventListener('DOMContentLoaded', () => {
  $('search').addEventListener('submit', (e) => {
    e.preventDefault();
    offset = 0;
    runSearch(true);
  });
  $('prev').addEventListener('click', () => {
    offset = Math.max(0, offset - PAGE);
    runSearch(true);
  });
  $('next').addEventListener('click', () => {
    offset += PAGE;
    runSearch(true);
  });
  $('close').addEventListener('click', () => $('statement').close());
  document.addEventListener('keydown', (e) => {
    const typing = ['INPUT', 'SELECT', 'TEXTAREA'].includes(document.activeElement.tagName);
    if (e.key === '/' && !typing && !$('statement').open) {
      e.preventDefault();
      $('q').focus();
      $('q').select();
    }
  });
  window.addEventListener('popstate', () => {
    fillForm(new URLSearchParams(location.search));
    runSearch(false);
  });
  const start = new URLSearchParams(location.search);
  fillForm(start);
  if (start.get('q')) runSearch(false);
  else $('q').focus();
});
