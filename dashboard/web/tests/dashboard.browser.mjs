// Browser test of the dashboard in real Chromium (Debian's /usr/bin/chromium, driven by playwright-core).
// Run by DashboardBrowserIT, which starts the backend and a real Kafka broker and passes:
//   BASE_URL     the dashboard, e.g. http://localhost:41234
//   CONTROL_URL  the test's control server: POST /seed, /aggregate, /alert produce records to Kafka and return
//                once the broker acknowledged them
//   SCREENSHOTS  where to save screenshots
// Prints one line per check and a closing "N passed, N failed"; exits non-zero on any failure.
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BASE_URL = process.env.BASE_URL ?? 'http://localhost:8080';
const CONTROL_URL = process.env.CONTROL_URL;
const SCREENSHOTS = process.env.SCREENSHOTS ?? 'target/screenshots';
const CHROMIUM = process.env.PULSE_CHROMIUM ?? '/usr/bin/chromium';
mkdirSync(SCREENSHOTS, { recursive: true });

let passed = 0;
let failed = 0;
async function check(name, fn) {
  const start = Date.now();
  try {
    await fn();
    passed++;
    console.log(`ok   ${name} (${Date.now() - start} ms)`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e.message}`);
  }
}
function assert(condition, message) {
  if (!condition) throw new Error(message);
}
async function control(path, body = {}) {
  const r = await fetch(CONTROL_URL + path, { method: 'POST', body: JSON.stringify(body) });
  if (!r.ok) throw new Error(`control ${path}: HTTP ${r.status} ${await r.text()}`);
  return r.json();
}

const profile = mkdtempSync(join(tmpdir(), 'pulse-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true, // adds --headless
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
  viewport: { width: 1440, height: 1100 },
});
const page = context.pages()[0] ?? await context.newPage();
const consoleErrors = [];
page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
page.on('pageerror', (e) => consoleErrors.push(String(e)));

try {
  await control('/seed');

  await check('the page loads, connects live and draws every panel', async () => {
    await page.goto(BASE_URL, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('[data-testid=live-state]:text("live")', { timeout: 15_000 });
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=sentiment-chart]')?.dataset.points) >= 3,
      null, { timeout: 10_000 });
    await page.waitForSelector('[data-testid=post-row]', { timeout: 10_000 });
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=word-cloud]')?.dataset.words) > 0,
      null, { timeout: 10_000 });
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=geo-map]')?.dataset.cells) > 0,
      null, { timeout: 10_000 });
    const sources = await page.getAttribute('[data-testid=volume-by-source]', 'data-sources');
    assert(sources.includes('X') && sources.includes('REDDIT'), `volume by source shows ${sources}`);
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-loaded.png'), fullPage: true });
  });

  await check('the chart updates when a new aggregate reaches Kafka', async () => {
    const before = Number(await page.getAttribute('[data-testid=sentiment-chart]', 'data-points'));
    await control('/aggregate', { count: 77 });
    await page.waitForFunction((n) => {
      const chart = document.querySelector('[data-testid=sentiment-chart]');
      return Number(chart?.dataset.points) > n && chart?.dataset.lastCount === '77';
    }, before, { timeout: 5_000 });
  });

  await check('an alert shows within 1 s of its record reaching Kafka', async () => {
    const { id } = await control('/alert');
    const acked = Date.now();
    await page.waitForSelector(`[data-alert-id="${id}"]`, { timeout: 3_000 });
    const elapsed = Date.now() - acked;
    console.log(`     alert visible ${elapsed} ms after Kafka acknowledged it`);
    assert(elapsed < 1000, `alert took ${elapsed} ms`);
    const text = await page.textContent(`[data-alert-id="${id}"]`);
    assert(text.includes('CRISIS') && text.includes('negative'), `alert text: ${text}`);
    await page.screenshot({ path: join(SCREENSHOTS, 'alert.png'), fullPage: true });
  });

  await check('the source filter narrows the posts and the chart', async () => {
    await page.selectOption('[data-testid=filter-source]', 'REDDIT');
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-testid=post-row]')];
      return rows.length > 0 && rows.every((r) => r.dataset.source === 'REDDIT');
    }, null, { timeout: 5_000 });
    await page.waitForFunction(() => document.querySelector('[data-testid=sentiment-chart]')?.dataset.points === '2',
      null, { timeout: 5_000 });
  });

  await check('the sentiment filter narrows the posts', async () => {
    await page.selectOption('[data-testid=filter-source]', '');
    await page.selectOption('[data-testid=filter-sentiment]', 'NEGATIVE');
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-testid=post-row]')];
      return rows.length > 0 && rows.every((r) => r.dataset.label === 'NEGATIVE');
    }, null, { timeout: 5_000 });
    await page.screenshot({ path: join(SCREENSHOTS, 'filtered-negative.png'), fullPage: true });
  });

  await check('"like this" lists similar posts from the vector store', async () => {
    await page.click('[data-testid=post-row] >> nth=0 >> button.link');
    await page.waitForSelector('[data-testid=similar-posts] li', { timeout: 5_000 });
  });

  await check('no console errors', async () => {
    assert(consoleErrors.length === 0, `console errors: ${consoleErrors.join(' | ')}`);
  });
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
