// End-to-end tests of the page of `vigie serve` in Debian's headless
// Chromium, driven by playwright-core: type a query and see highlighted
// hits, apply a date filter, page, see the trend chart, open a statement
// and its twin side by side, close it from the keyboard, and check that a
// statement holding markup shows it as text. Screenshots go to
// $VIGIE_E2E_ARTIFACTS (default: target/e2e-artifacts).
//
// The fixture is SYNTHETIC, written below: statements mentioning
// cyberdéfense, one a year from 2012 to 2023, a French statement with its
// English twin, and one whose paragraph holds <script> and <img onerror>.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const vigieBin = process.env.VIGIE_BIN || path.join(root, 'target', 'debug', 'vigie');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const artifacts = process.env.VIGIE_E2E_ARTIFACTS || path.join(root, 'target', 'e2e-artifacts');

let scratch;
let server;
let base;
let browser;

function fixture() {
  const lines = [];
  for (let year = 2012; year <= 2023; year += 1) {
    lines.push({
      id: `fr-${year}`,
      lang: 'fr',
      date: `${year}-06-15`,
      title: `Communiqué de ${year}`,
      paragraphs: [
        `En ${year}, la cyberdéfense reste une priorité des alliés.`,
        'Les ministres se sont réunis.',
      ],
    });
  }
  lines.push({
    id: 'fr-sommet', lang: 'fr', date: '2014-09-05', twin: 'sommet-2014',
    title: 'Déclaration du sommet',
    paragraphs: [
      'Les chefs d’État se réunissent.',
      'La défense collective reste le cœur de l’Alliance.',
      'Le sommet s’achève.',
    ],
  });
  lines.push({
    id: 'en-sommet', lang: 'en', date: '2014-09-05', twin: 'sommet-2014',
    title: 'Summit Declaration',
    paragraphs: [
      'Heads of State meet.',
      'Collective defence remains the core of the Alliance.',
      'The summit ends.',
    ],
  });
  lines.push({
    id: 'fr-balise', lang: 'fr', date: '2019-01-01', title: 'Note <b>technique</b>',
    url: 'javascript:window.__xss = 3',
    paragraphs: ['Une balise <script>window.__xss = 1</script> et <img src=x onerror="window.__xss = 2"> dans le texte.'],
  });
  return `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`;
}

function startServer(index) {
  return new Promise((resolve, reject) => {
    const child = spawn(vigieBin, ['serve', '--bind', '127.0.0.1:0', '--index', index], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, VIGIE_SYNONYMS: '' },
    });
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`vigie serve did not start: ${seen}`)), 20000);
    child.stderr.on('data', (chunk) => {
      seen += chunk;
      const m = seen.match(/http:\/\/[^\s/]+/);
      if (m && !base) {
        clearTimeout(timer);
        resolve({ child, url: m[0] });
      }
    });
    child.on('exit', (code) => reject(new Error(`vigie serve exited (${code}): ${seen}`)));
  });
}

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  scratch = mkdtempSync(path.join(tmpdir(), 'vigie-e2e-'));
  const file = path.join(scratch, 'statements.jsonl');
  writeFileSync(file, fixture());
  const index = path.join(scratch, 'index');
  execFileSync(vigieBin, ['index', '--index', index, file], { stdio: 'inherit' });
  const started = await startServer(index);
  server = started.child;
  base = started.url;
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.kill();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

async function newPage() {
  const page = await browser.newPage({ viewport: { width: 1200, height: 1000 }, locale: 'fr-FR' });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${base}/`);
  return { page, errors };
}

async function searchFor(page, query) {
  await page.fill('#q', query);
  await page.press('#q', 'Enter');
  await page.waitForFunction(() => !document.getElementById('status').textContent.startsWith('Recherche'));
}

test('typing a query shows hits with the matched words highlighted', async () => {
  const { page, errors } = await newPage();
  await searchFor(page, 'cyberdefense');
  const hits = page.locator('#hits li.hit');
  assert.equal(await hits.count(), 10, 'a first page of 10 hits');
  const marks = await page.locator('#hits mark').allTextContents();
  assert.ok(marks.length >= 10, `highlights: ${marks}`);
  for (const m of marks) assert.match(m.toLowerCase(), /cyberdéfense|cyber|défense/, `highlighted: ${m}`);
  assert.match(await page.textContent('#status'), /12 paragraphes contiennent la requête/);
  await page.screenshot({ path: path.join(artifacts, '01-hits.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test('a date filter keeps only statements in range, and paging moves on', async () => {
  const { page } = await newPage();
  await searchFor(page, 'cyberdéfense');
  const first = await page.locator('#hits button.open').evaluateAll((els) => els.map((e) => e.dataset.id));
  await page.click('#next');
  await page.waitForFunction(() => document.getElementById('page').textContent.startsWith('11'));
  assert.match(page.url(), /offset=10/, 'the page address keeps the offset');
  const second = await page.locator('#hits button.open').evaluateAll((els) => els.map((e) => e.dataset.id));
  assert.ok(second.length > 0, 'a second page');
  assert.notDeepEqual(second, first, 'another page of hits');
  await page.fill('#since', '2020');
  await page.press('#since', 'Enter');
  await page.waitForFunction(() => document.getElementById('status').textContent.includes('4 paragraphes'));
  const ids = await page.locator('#hits button.open').evaluateAll((els) => els.map((e) => e.dataset.id));
  assert.deepEqual([...new Set(ids)].sort(), ['fr-2020', 'fr-2021', 'fr-2022', 'fr-2023'],
    'the paragraphs of statements from 2020 on, and no other');
  await page.screenshot({ path: path.join(artifacts, '02-date-filter.png'), fullPage: true });
  await page.close();
});

test('the trend chart has a bar per year and clicking one filters on it', async () => {
  const { page } = await newPage();
  await searchFor(page, 'cyberdéfense');
  await page.waitForSelector('#trend:not([hidden]) svg rect.bar');
  const periods = await page.locator('#chart rect.bar').evaluateAll((els) => els.map((e) => e.dataset.period));
  assert.deepEqual(periods, Array.from({ length: 12 }, (_, i) => String(2012 + i)));
  await page.screenshot({ path: path.join(artifacts, '03-trend.png'), fullPage: true });
  await page.click('#chart rect.bar[data-period="2015"]');
  await page.waitForFunction(() => document.getElementById('since').value === '2015');
  await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('1 paragraphe contient'));
  const ids = await page.locator('#hits button.open').evaluateAll((els) => els.map((e) => e.dataset.id));
  assert.deepEqual([...new Set(ids)], ['fr-2015'], 'only the statement of 2015');
  await page.close();
});

test('a statement opens with its twin side by side, and Escape closes it', async () => {
  const { page } = await newPage();
  await searchFor(page, '"défense collective"');
  await page.click('#hits button.open[data-id="fr-sommet"]');
  await page.waitForSelector('#statement[open] .column');
  const columns = page.locator('#statement .column');
  assert.equal(await columns.count(), 2, 'the statement and its English twin');
  const left = await page.textContent('#statement .column:nth-child(1) li.current');
  const right = await page.textContent('#statement .column:nth-child(2) li.current');
  assert.match(left, /défense collective/);
  assert.match(right, /Collective defence/, 'the aligned paragraph of the twin is marked');
  await page.screenshot({ path: path.join(artifacts, '04-statement-twin.png') });
  await page.keyboard.press('Escape');
  await page.waitForSelector('#statement:not([open])', { state: 'attached' });
  await page.close();
});

test('the keyboard reaches the search box and the hits', async () => {
  const { page } = await newPage();
  await page.click('h1');
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'q');
  await page.keyboard.type('cyberdéfense');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#hits li.hit');
  await page.focus('#hits button.open');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#statement[open]');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'close', 'focus moves into the statement');
  await page.keyboard.press('Escape');
  await page.close();
});

test('markup inside a statement is shown as text, never run', async () => {
  const { page, errors } = await newPage();
  await searchFor(page, 'balise');
  const text = await page.textContent('#hits li.hit .text');
  assert.match(text, /<script>window.__xss = 1<\/script>/);
  assert.match(text, /<img src=x onerror=/);
  assert.equal(await page.locator('#hits img, #hits script, #hits b').count(), 0);
  await page.click('#hits button.open');
  await page.waitForSelector('#statement[open]');
  assert.equal(await page.textContent('#st-title'), 'Note <b>technique</b>');
  assert.equal(await page.locator('#statement a').count(), 0, 'a javascript: url is not made a link');
  assert.equal(await page.evaluate(() => window.__xss), undefined, 'no script ran');
  await page.screenshot({ path: path.join(artifacts, '05-markup-as-text.png') });
  assert.deepEqual(errors, []);
  await page.close();
});
