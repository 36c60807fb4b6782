// Browser test of the dashboard in real Chromium (Debian's /usr/bin/chromium, driven by playwright-core).
// Run by DashboardBrowserIT, which starts the backend and a real Kafka broker and passes:
//   BASE_URL     the dashboard, e.g. http://localhost:41234
//   CONTROL_URL  the test's control server: POST /seed, /aggregate, /alert produce records to Kafka and return
//                once the broker acknowledged them (/seed answers the posts it wrote: id, brand, label, previous);
//                POST /restart starts a second backend on the same topics (a restarted dashboard) and answers its URL
//                POST /secured starts a backend in cluster mode with a bearer token and answers its URL and token
//   SCREENSHOTS  where to save screenshots
// Prints one line per check and a closing "N passed, N failed"; exits non-zero on any failure.
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
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
    await page.screenshot({ path: join(SCREENSHOTS, `failed-${failed}.png`), fullPage: true }).catch(() => {});
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
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const PIPELINE = 'northwind';
const api = (path) => page.evaluate(async (p) => (await fetch(p)).json(), path);
const attr = (selector, name) => page.getAttribute(selector, name);
/** The posts table's rows once it has settled on a new total. */
async function rowsAfter(predicate, arg) {
  await page.waitForFunction(predicate, arg, { timeout: 10_000 });
  return page.$$eval('[data-testid=post-row]', (rows) => rows.map((r) => ({ ...r.dataset, text: r.querySelector('.text')?.textContent })));
}
const params = () => new URL(page.url()).searchParams;
/** Clears the drill-down when one is shown (so one failed check does not fail the next ones too). */
async function clearDrill() {
  if (await page.$('[data-testid=drill-clear]')) await page.click('[data-testid=drill-clear]');
  await page.waitForSelector('[data-testid=drill]', { state: 'detached', timeout: 5_000 });
}
const consoleErrors = [];
page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
page.on('pageerror', (e) => consoleErrors.push(String(e)));

try {
  const { posts: seeded } = await control('/seed');

  await check('the page loads, connects live and draws every panel', async () => {
    await page.goto(BASE_URL, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('[data-testid=live-state]:text("live")', { timeout: 30_000 });
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=sentiment-chart]')?.dataset.points) >= 3,
      null, { timeout: 30_000 });
    await page.waitForSelector('[data-testid=post-row]', { timeout: 30_000 });
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=word-cloud]')?.dataset.words) > 0,
      null, { timeout: 30_000 });
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=geo-map]')?.dataset.cells) > 0,
      null, { timeout: 30_000 });
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

  await check('an alert says why it fired and the LLM gateway explains it and drafts a reply', async () => {
    const alert = page.locator('[data-testid=alert-item]').first();
    await alert.locator('[data-testid=alert-why] summary').click();
    const check = alert.locator('[data-testid=alert-check][data-metric=negativeRatio]');
    assert(await check.getAttribute('data-met') === 'true', 'the negative-share condition is shown as met');
    const ratio = await check.textContent();
    assert(ratio.includes('80%') && ratio.includes('60%'), `negative share row: ${ratio}`);
    await alert.locator('[data-testid=alert-explain]').click();
    const explained = await alert.locator('[data-testid=alert-explanation]').textContent({ timeout: 10_000 });
    assert(explained.includes('LLM: 80% negative') && explained.includes('2 evidence posts'), `explanation: ${explained}`);
    await alert.locator('[data-testid=alert-draft]').click();
    const draft = await alert.locator('[data-testid=alert-draft-text]').textContent({ timeout: 10_000 });
    assert(draft.startsWith('We are sorry: ') && draft.includes('review before posting'), `draft: ${draft}`);
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
    await page.selectOption('[data-testid=filter-sentiment]', '');
  });

  await check('the brand picker lists the brands and share of voice matches the posts replayed', async () => {
    const options = await page.$$eval('[data-testid=pick-brand] option', (o) => o.map((x) => x.value));
    assert(options.join('|') === '|Northwind Air|Tailspin Mobile', `brand options ${options}`);
    const now = seeded.filter((p) => !p.previous);
    const before = seeded.filter((p) => p.previous);
    const expect = {};
    for (const brand of ['Northwind Air', 'Tailspin Mobile']) {
      const mine = now.filter((p) => p.brand === brand);
      const net = (mine.filter((p) => p.label === 'POSITIVE').length - mine.filter((p) => p.label === 'NEGATIVE').length) / mine.length;
      const prev = before.filter((p) => p.brand === brand);
      const prevNet = prev.length ? (prev.filter((p) => p.label === 'POSITIVE').length - prev.filter((p) => p.label === 'NEGATIVE').length) / prev.length : 0;
      expect[brand] = { count: mine.length, share: mine.length / now.length, net,
        shareChange: mine.length / now.length - prev.length / before.length, netChange: net - prevNet };
    }
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid=sov-row][data-brand="Northwind Air"]')?.dataset.count) === n,
      expect['Northwind Air'].count, { timeout: 10_000 });
    for (const [brand, e] of Object.entries(expect)) {
      const row = `[data-testid=sov-row][data-brand="${brand}"]`;
      const got = { count: Number(await attr(row, 'data-count')), share: Number(await attr(row, 'data-share')),
        net: Number(await attr(row, 'data-net')), shareChange: Number(await attr(row, 'data-share-change')),
        netChange: Number(await attr(row, 'data-net-change')) };
      for (const k of Object.keys(e)) assert(Math.abs(got[k] - e[k]) < 1e-9, `${brand} ${k}: page ${got[k]}, posts ${e[k]}`);
    }
    assert(Number(await attr('[data-testid=share-of-voice]', 'data-points')) >= 1, 'no share-of-voice points');
  });

  await check('switching brand filters every panel to that brand', async () => {
    await page.selectOption('[data-testid=pick-brand]', 'Tailspin Mobile');
    const rows = await rowsAfter(() => {
      const r = [...document.querySelectorAll('[data-testid=post-row]')];
      return r.length > 0 && r.every((x) => x.dataset.brands === 'Tailspin Mobile');
    });
    assert(rows.length === 10, `${rows.length} Tailspin rows (6 now + 4 earlier held)`);
    await page.waitForFunction(() => document.querySelector('[data-testid=sentiment-chart]')?.dataset.total === '6', null, { timeout: 10_000 });
    const sources = await attr('[data-testid=volume-by-source]', 'data-sources');
    assert(sources === 'REDDIT,RSS,X', `Tailspin sources ${sources}`);
    assert(params().get('brand') === 'Tailspin Mobile', `URL ${page.url()}`);
  });

  await check('each post links to its source, says its tier, and shows the LLM rationale', async () => {
    const row = '[data-testid=post-row][data-id="x:tailspin-5"]';
    await page.waitForSelector(row, { timeout: 5_000 });
    assert(await attr(`${row} [data-testid=post-link]`, 'href') === 'https://example.com/x:tailspin-5', 'source link');
    assert((await page.textContent(`${row} [data-testid=post-tier]`)) === 'LLM', 'tier');
    await page.click(`${row} .rationale summary`);
    assert((await page.textContent(`${row} .rationale`)).includes("'sick' is praise"), 'rationale');
  });

  await check('drill-down from a bar of the sentiment chart lists exactly its posts', async () => {
    await page.waitForSelector('[data-testid=sentiment-chart] path.segment', { timeout: 10_000 });
    // The tallest bar of the chart (a bar of zero posts has no area to click); the chart may redraw meanwhile.
    const bars = page.locator('[data-testid=sentiment-chart] path.segment');
    const heights = await bars.evaluateAll((b) => b.map((x) => x.getBoundingClientRect().height));
    const tallest = bars.nth(heights.indexOf(Math.max(...heights)));
    const box = await tallest.boundingBox();
    const hit = await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.outerHTML.slice(0, 160), { x: box.x + box.width / 2, y: box.y + box.height / 2 });
    await tallest.click();
    if (!params().get('sentiment')) console.log(`     the click landed on ${hit}`);
    await page.waitForSelector('[data-testid=drill]', { timeout: 5_000 });
    const from = Date.parse(params().get('from')), to = Date.parse(params().get('to')), label = params().get('sentiment');
    assert(label === 'POSITIVE', `the tallest segment is the positive one, drilled to ${label}`);
    const series = await api(`/api/pipelines/${PIPELINE}/series?window=15m&brand=Tailspin%20Mobile`);
    const point = series.find((p) => Date.parse(p.windowStart) === from);
    assert(point, `no window starts at ${params().get('from')}`);
    const expected = point.positive;
    const rows = await rowsAfter((n) => Number(document.querySelector('[data-testid=posts-total]')?.dataset.total) === n, expected);
    assert(rows.length === expected && expected > 0, `${rows.length} rows, the bar holds ${expected}`);
    assert(rows.every((r) => r.label === label && Date.parse(r.ingested) >= from && Date.parse(r.ingested) < to), 'rows outside the bar');
    await page.screenshot({ path: join(SCREENSHOTS, 'drill-down.png'), fullPage: true });
  });

  await check('drill-down from a term of the word cloud (keyboard: Tab + Enter)', async () => {
    await clearDrill();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=word-cloud]')?.dataset.words) > 0, null, { timeout: 10_000 });
    const term = await attr('[data-testid=cloud-term] >> nth=0', 'data-term');
    const terms = await api(`/api/pipelines/${PIPELINE}/terms?window=15m&brand=Tailspin%20Mobile&limit=50`);
    const expected = terms.find((t) => t.term === term).count;
    await page.focus('[data-testid=cloud-term] >> nth=0');
    await page.keyboard.press('Enter');
    const rows = await rowsAfter((n) => Number(document.querySelector('[data-testid=posts-total]')?.dataset.total) === n
      && !!document.querySelector('[data-testid=drill]'), expected);
    assert(rows.length === expected, `${rows.length} rows for "${term}", the cloud counts ${expected}`);
    assert(rows.every((r) => r.text.toLowerCase().includes(term)), `a row without "${term}"`);
  });

  await check('drill-down from a place on the map', async () => {
    await clearDrill();
    await page.waitForSelector('[data-testid=geo-cell]', { timeout: 10_000 });
    const cell = await attr('[data-testid=geo-cell] >> nth=0', 'data-cell');
    const count = Number(await attr('[data-testid=geo-cell] >> nth=0', 'data-count'));
    const place = await attr('[data-testid=geo-cell] >> nth=0', 'data-place');
    // A click event on that very cell (neighbouring cells' circles may overlap it on a small map).
    await page.dispatchEvent('[data-testid=geo-cell] >> nth=0', 'click');
    await page.waitForFunction((c) => new URL(location.href).searchParams.get('cell') === c, cell, { timeout: 5_000 });
    const rows = await rowsAfter((n) => Number(document.querySelector('[data-testid=posts-total]')?.dataset.total) === n, count);
    assert(rows.length === count && count > 0, `${rows.length} rows, the cell holds ${count}`);
    const cells = await page.$$eval('[data-testid=post-row] td:nth-child(4)', (tds) => tds.map((t) => t.textContent));
    assert(cells.every((c) => c === place), `places ${cells}`);
  });

  await check('drill-down from a bar of volume by source', async () => {
    await clearDrill();
    await page.click('[data-testid=volume-by-source] .recharts-bar-rectangle path >> nth=0');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('source') === 'REDDIT', null, { timeout: 5_000 });
    const rows = await rowsAfter(() => {
      const r = [...document.querySelectorAll('[data-testid=post-row]')];
      return r.length > 0 && r.every((x) => x.dataset.source === 'REDDIT') && !!document.querySelector('[data-testid=drill]');
    });
    const volume = (await api(`/api/pipelines/${PIPELINE}/sources?window=15m&brand=Tailspin%20Mobile`)).find((s) => s.source === 'REDDIT');
    assert(rows.length === volume.count, `${rows.length} rows, the bar holds ${volume.count}`);
  });

  await check('the CSV export holds exactly the posts the API lists for the same filters', async () => {
    await clearDrill();
    await page.selectOption('[data-testid=filter-source]', '');
    await page.selectOption('[data-testid=pick-brand]', '');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('brand') === null, null, { timeout: 5_000 });
    const href = await attr('[data-testid=export-posts-csv]', 'href');
    const csv = await page.evaluate(async (h) => (await fetch(h)).text(), href);
    const lines = csv.trim().split('\r\n');
    assert(lines[0].startsWith('id,ingestedAt,createdAt,source,feed,brands,'), `header ${lines[0]}`);
    const query = new URL(href, BASE_URL).search.replace('format=csv', 'size=200');
    const listed = await api(`/api/pipelines/${PIPELINE}/posts${query}`);
    assert(lines.length - 1 === listed.total && listed.total === seeded.length, `CSV ${lines.length - 1} rows, API ${listed.total}, seeded ${seeded.length}`);
    listed.items.forEach((p, i) => {
      const cells = lines[i + 1].split(',');
      assert(cells[0] === p.id && cells[8] === p.label && Number(cells[9]) === Number(p.score.toFixed(4)),
        `row ${i}: ${lines[i + 1]} vs ${p.id} ${p.label} ${p.score}`);
    });
    const json = await page.evaluate(async (h) => (await fetch(h)).json(), href.replace('format=csv', 'format=json'));
    assert(json.map((p) => p.id).join() === listed.items.map((p) => p.id).join(), 'JSON export differs from the API');
  });

  await check("drill-down from a window of the pipeline's chart picks that window and label", async () => {
    // The first window's tallest segment (not the last window's): the drill-down must take the segment's own window.
    const segments = page.locator('[data-testid=sentiment-chart] path.segment');
    const all = await segments.evaluateAll((b) => b.map((x) => ({ start: x.dataset.start, label: x.dataset.label,
      height: x.getBoundingClientRect().height })));
    const first = all.filter((x) => x.start === all[0].start);
    const target = first.reduce((a, b) => (b.height > a.height ? b : a));
    assert(new Set(all.map((x) => x.start)).size >= 3, `the pipeline's chart has ${all.length} segments`);
    await segments.nth(all.indexOf(target)).click();
    await page.waitForFunction(() => !!new URL(location.href).searchParams.get('from'), null, { timeout: 5_000 });
    assert(params().get('from') === target.start && params().get('sentiment') === target.label,
      `clicked ${target.label} of ${target.start}, drilled to ${params().get('sentiment')} of ${params().get('from')}`);
    const to = Date.parse(params().get('to'));
    const rows = await rowsAfter(() => !!document.querySelector('[data-testid=drill]'));
    assert(rows.every((r) => r.label === target.label && Date.parse(r.ingested) >= Date.parse(target.start)
      && Date.parse(r.ingested) < to), 'rows outside the window');
    await clearDrill();
  });

  await check('compare mode draws the brands side by side', async () => {
    await page.check('[data-testid=compare-brand][value="Northwind Air"]');
    await page.check('[data-testid=compare-brand][value="Tailspin Mobile"]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=compare-panel]').length === 2, null, { timeout: 5_000 });
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=compare-chart]')].every((c) => Number(c.dataset.points) > 0),
      null, { timeout: 10_000 });
    const counts = await page.$$eval('[data-testid=compare-panel]', (p) => p.map((x) => `${x.dataset.brand}=${x.dataset.count}`));
    assert(counts.join() === 'Northwind Air=18,Tailspin Mobile=6', `compare panels ${counts}`);
    const totals = await page.$$eval('[data-testid=compare-chart]', (c) => c.map((x) => x.dataset.total));
    assert(totals.join() === '18,6', `compare charts ${totals}`);
    assert(params().get('compare') === 'Northwind Air,Tailspin Mobile', `URL ${page.url()}`);
    await page.locator('[data-testid=compare]').evaluate((e) => e.closest('section').scrollIntoView());
    await page.screenshot({ path: join(SCREENSHOTS, 'brand-comparison.png'), fullPage: false });
  });

  await check('drill-down from the share-of-voice chart', async () => {
    const box = await page.locator('[data-testid=share-of-voice] .recharts-wrapper > svg.recharts-surface').boundingBox();
    await page.mouse.click(box.x + box.width - 30, box.y + box.height / 2);
    await page.waitForFunction(() => !!new URL(location.href).searchParams.get('to'), null, { timeout: 5_000 });
    const from = Date.parse(params().get('from')), to = Date.parse(params().get('to'));
    const sov = await api(`/api/pipelines/${PIPELINE}/share?window=15m`);
    const point = sov.points.find((p) => Date.parse(p.start) === from);
    const expected = Object.values(point.counts).reduce((a, b) => a + b, 0);
    const rows = await rowsAfter((n) => Number(document.querySelector('[data-testid=posts-total]')?.dataset.total) === n, expected);
    assert(rows.every((r) => Date.parse(r.ingested) >= from && Date.parse(r.ingested) < to), 'rows outside the bucket');
  });

  await check('the URL round-trips the view: a new tab opens the same filters, drill-down and rows', async () => {
    await clearDrill();
    await page.selectOption('[data-testid=pick-brand]', 'Tailspin Mobile');
    await page.selectOption('[data-testid=filter-sentiment]', 'POSITIVE');
    const rows = await rowsAfter(() => {
      const r = [...document.querySelectorAll('[data-testid=post-row]')];
      return r.length > 0 && r.every((x) => x.dataset.label === 'POSITIVE' && x.dataset.brands === 'Tailspin Mobile');
    });
    const url = page.url();
    const other = await context.newPage();
    await other.goto(url, { waitUntil: 'domcontentloaded' });
    await other.waitForFunction((n) => document.querySelectorAll('[data-testid=post-row]').length === n, rows.length, { timeout: 10_000 });
    const ids = await other.$$eval('[data-testid=post-row]', (r) => r.map((x) => x.dataset.id));
    assert(ids.join() === rows.map((r) => r.id).join(), 'rows differ');
    for (const sel of ['pick-brand', 'filter-window', 'filter-source', 'filter-sentiment']) {
      const a = await page.inputValue(`[data-testid=${sel}]`), b = await other.inputValue(`[data-testid=${sel}]`);
      assert(a === b, `${sel}: ${a} vs ${b}`);
    }
    assert(rows.length === 7, `${rows.length} positive Tailspin rows`);
    assert(await other.$$eval('[data-testid=compare-panel]', (p) => p.length) === 2, 'compare panels');
    assert(new URL(other.url()).search === new URL(url).search, `URL rewritten: ${other.url()}`);
    await other.close();
  });

  await check('a window longer than the look-back is not offered, and the API refuses it with the limit', async () => {
    const windows = await page.$$eval('[data-testid=filter-window] option', (o) => o.map((x) => x.value));
    assert(windows.join() === '5m,15m,30m,1h', `windows offered ${windows}`);
    const x = await fetch(`${BASE_URL}/api/pipelines/${PIPELINE}/series?window=6h`); // from Node: the 400 is expected
    const r = { status: x.status, body: await x.json() };
    assert(r.status === 400 && r.body.message.includes('limit of 1h'), JSON.stringify(r));
    const covered = await attr('[data-testid=coverage]', 'data-from');
    assert(covered && Date.parse(covered) <= Date.now(), `coverage ${covered}`);
  });

  await check('a restarted backend rebuilds the same history from the topics', async () => {
    const before = await api(`/api/pipelines/${PIPELINE}/share?window=30m`);
    const { url } = await control('/restart');
    const other = await context.newPage();
    await other.goto(`${url}/?window=30m`, { waitUntil: 'domcontentloaded' });
    await other.waitForFunction((n) => Number(document.querySelector('[data-testid=sov-row][data-brand="Tailspin Mobile"]')?.dataset.count) === n,
      before.totals[1].count, { timeout: 20_000 });
    const after = await other.evaluate(async (p) => (await fetch(p)).json(), `/api/pipelines/${PIPELINE}/share?window=30m`);
    const pick = (t) => JSON.stringify(t.map(({ brand, count, share, net, negative, neutral, positive }) =>
      ({ brand, count, share, net, negative, neutral, positive })));
    assert(pick(after.totals) === pick(before.totals), `after restart ${pick(after.totals)}, before ${pick(before.totals)}`);
    const cov = await other.evaluate(async (p) => (await fetch(p)).json(), `/api/pipelines/${PIPELINE}/coverage`);
    assert(cov.postsHeld === seeded.length, `the restarted backend holds ${cov.postsHeld} posts`);
    const series = async (pg) => pg.evaluate(async (p) => (await fetch(p)).json(), `/api/pipelines/${PIPELINE}/series?window=30m`);
    assert(JSON.stringify(await series(other)) === JSON.stringify(await series(page)), 'aggregate series differ');
    await other.close();
  });

  await check('with a token the page opens the live channel with a single-use ticket, never the token in a URL', async () => {
    const { url, token } = await control('/secured');
    const other = await context.newPage();
    const sockets = [];
    other.on('websocket', (ws) => sockets.push(ws.url()));
    const requests = [];
    other.on('request', (r) => requests.push(r.url()));
    await other.goto(`${url}/#token=${encodeURIComponent(token)}`, { waitUntil: 'domcontentloaded' });
    await other.waitForSelector('[data-testid=live-state]:text("live")', { timeout: 30_000 });
    assert(sockets.length > 0 && sockets.every((u) => /[?&]ticket=[\w-]{20,}/.test(u)), `WebSocket URLs ${sockets}`);
    assert([...sockets, ...requests].every((u) => !u.includes(token)), 'the token appeared in a URL');
    assert(!other.url().includes(token), `the address bar still holds the token: ${other.url()}`);
    const status = await other.evaluate(async (p) => (await fetch(p)).status, `/api/pipelines/${PIPELINE}/status`);
    assert(status === 401, `the API answered ${status} without the token`);
    await other.close();
  });

  await check('accessibility: axe finds no serious violations (dark, light, tablet width)', async () => {
    await page.goto(`${BASE_URL}/?window=15m`, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('[data-testid=post-row]', { timeout: 10_000 });
    await page.waitForSelector('[data-testid=sov-row]', { timeout: 10_000 });
    const scan = async (what) => {
      await page.addScriptTag({ content: AXE });
      const result = await page.evaluate(async () => (await window.axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })).violations
        .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })));
      const serious = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      console.log(`     axe ${what}: ${result.length} violations, ${serious.length} serious or critical`);
      assert(serious.length === 0, `${what}: ${JSON.stringify(serious)}`);
    };
    const first = await page.evaluate(() => document.documentElement.dataset.theme);
    await scan(first);
    await page.click('[data-testid=theme]');
    await page.waitForFunction((t) => document.documentElement.dataset.theme !== t, first);
    await scan(await page.evaluate(() => document.documentElement.dataset.theme));
    await page.setViewportSize({ width: 800, height: 1100 });
    // The charts follow the new width once their resize observers fire.
    await page.waitForFunction(() => document.documentElement.scrollWidth - window.innerWidth <= 1, null, { timeout: 10_000 })
      .catch(() => {});
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    const wide = await page.evaluate(() => [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 5)
      .map((e) => `${e.tagName}.${e.className?.baseVal ?? e.className}`));
    assert(overflow <= 1, `the page scrolls sideways at 800 px by ${overflow} px: ${wide}`);
    await scan('tablet');
    await page.screenshot({ path: join(SCREENSHOTS, 'tablet-light.png'), fullPage: true });
    await page.setViewportSize({ width: 1440, height: 1100 });
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
