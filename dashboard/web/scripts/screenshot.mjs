// Saves a screenshot of a running dashboard (how dashboard/docs/*.png are made):
//   node scripts/screenshot.mjs URL OUT [view]
// view: "page" (default: the top of the page), "compare" (the brands side by side and share of voice: open a URL
// with ?compare=A,B,C), "drill" (clicks the tallest negative bar of the sentiment chart and shows the posts behind it).
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [url = 'http://localhost:8080', out = 'dashboard.png', view = 'page'] = process.argv.slice(2);
const profile = mkdtempSync(join(tmpdir(), 'pulse-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.PULSE_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  colorScheme: 'dark',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
  viewport: { width: 1440, height: 1000 },
});
try {
  const page = context.pages()[0] ?? await context.newPage();
  await page.goto(url, { waitUntil: 'networkidle' });
  await page.waitForSelector('[data-testid=post-row]', { timeout: 30_000 });
  await page.waitForTimeout(1500); // the word cloud lays itself out
  if (view === 'compare') {
    await page.waitForSelector('[data-testid=compare-panel]', { timeout: 30_000 });
    await page.screenshot({ path: out, fullPage: true, clip: await union(page, ['[data-testid=compare]', '[data-testid=share-of-voice]']) });
  } else if (view === 'drill') {
    const bars = page.locator('[data-testid=sentiment-chart] path.segment[data-label=NEGATIVE]');
    const heights = await bars.evaluateAll((b) => b.map((x) => x.getBoundingClientRect().height));
    await bars.nth(heights.indexOf(Math.max(...heights))).click();
    await page.waitForSelector('[data-testid=drill]', { timeout: 10_000 });
    await page.waitForTimeout(1000);
    await page.screenshot({ path: out, fullPage: true, clip: await union(page, ['[data-testid=sentiment-chart]', '[data-testid=posts-table]']) });
  } else {
    await page.screenshot({ path: out, fullPage: false });
  }
  console.log(`saved ${out}`);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}

/** The page region from the top of the first element's panel to the bottom of the last one's (at most 1400 px). */
async function union(page, selectors) {
  const boxes = [];
  for (const s of selectors) {
    boxes.push(await page.locator(s).evaluate((e) => {
      const r = (e.closest('section') ?? e).getBoundingClientRect();
      return { top: r.top + window.scrollY, bottom: r.bottom + window.scrollY };
    }));
  }
  const top = Math.min(...boxes.map((b) => b.top)) - 8;
  const bottom = Math.min(Math.max(...boxes.map((b) => b.bottom)) + 8, top + 1400);
  await page.setViewportSize({ width: 1440, height: Math.ceil(bottom) + 20 });
  return { x: 0, y: Math.max(0, top), width: 1440, height: bottom - top };
}
