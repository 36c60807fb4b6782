// Saves a screenshot of Prometheus' alert page (its Mantine web UI) with one alert rule expanded, in headless
// Debian Chromium driven by Playwright (playwright-core, as the dashboard's browser tests use it):
//   node screenshot-alerts.mjs PLAYWRIGHT_CORE_DIR PROMETHEUS_URL ALERT_NAME OUT.png
// Run by screenshots.sh once the alert fires. Fails (exit 1) when the page does not show the rule as firing, so a
// screenshot of an error page or of an inactive rule is never saved under the name.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [pwDir, base, alert, out] = process.argv.slice(2);
if (!out) {
  console.error('usage: node screenshot-alerts.mjs PLAYWRIGHT_CORE_DIR PROMETHEUS_URL ALERT_NAME OUT.png');
  process.exit(2);
}
const { chromium } = createRequire(join(pwDir, 'package.json'))('playwright-core');
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
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${base}/alerts`, { waitUntil: 'load', timeout: 60_000 });
  // The rule's row (an accordion control) shows a "firing (n)" badge while the alert fires.
  const row = page.getByRole('button').filter({ hasText: alert }).filter({ hasText: /firing \(\d+\)/ });
  await row.first().waitFor({ timeout: 30_000 });
  await row.first().click(); // expands: the rule's expression, labels, annotations and the firing alert's labels
  // The expanded rule lists its firing alert (a table with the alert's labels, state and "Active Since").
  await page.getByText('Active Since').first().waitFor({ timeout: 15_000 });
  await page.waitForTimeout(1000); // the accordion's animation
  if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
  await page.screenshot({ path: out, fullPage: true });
  console.log(`saved ${out}`);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
