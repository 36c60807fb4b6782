// Saves a full-page screenshot of a running dashboard (how dashboard/docs/dashboard.png is made):
//   node scripts/screenshot.mjs http://localhost:8080 ../docs/dashboard.png
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [url = 'http://localhost:8080', out = 'dashboard.png'] = process.argv.slice(2);
const profile = mkdtempSync(join(tmpdir(), 'pulse-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.PULSE_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
  viewport: { width: 1440, height: 1000 },
});
try {
  const page = context.pages()[0] ?? await context.newPage();
  await page.goto(url, { waitUntil: 'networkidle' });
  await page.waitForSelector('[data-testid=post-row]', { timeout: 30_000 });
  await page.waitForTimeout(1500); // the word cloud lays itself out
  await page.screenshot({ path: out, fullPage: false });
  console.log(`saved ${out}`);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
