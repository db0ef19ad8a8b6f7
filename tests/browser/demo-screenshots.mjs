// Screenshots of the browsing pages for docs/dashboard.md, taken against the demo that
// scripts/run.sh starts (its demo login and simulator data):
//   scripts/run.sh &            # prints "Demo login: …"; the server's port is in data/server.port
//   node tests/browser/demo-screenshots.mjs http://127.0.0.1:$(cat data/server.port)
// Saves docs/screenshots/<page>.png. Chromium: TENANTSYNC_CHROMIUM (default /usr/bin/chromium).

import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const { chromium } = createRequire(path.join(root, 'web/package.json'))('playwright-core');
const baseUrl = process.argv[2];
if (!baseUrl) {
  console.error('usage: node tests/browser/demo-screenshots.mjs http://127.0.0.1:PORT');
  process.exit(2);
}
const out = path.join(root, 'docs/screenshots');
mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.TENANTSYNC_CHROMIUM ?? '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
});
try {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
  page.setDefaultTimeout(20_000);
  const shot = (name) => page.screenshot({ path: path.join(out, `${name}.png`), fullPage: true });
  await page.goto(baseUrl);
  await page.getByLabel('E-mail').fill('demo@tenantsync.local');
  await page.getByLabel('Password').fill('demo-password');
  await page.getByTestId('auth-submit').click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();

  await page.goto(`${baseUrl}/#/calls`);
  await page.getByTestId('call-row').first().waitFor();
  await shot('calls');
  await page.locator('[data-testid="call-row"]', { hasText: 'completed' }).first().getByTestId('call-link').click();
  await page.getByTestId('call-transcript').waitFor();
  await shot('call-detail');

  await page.goto(`${baseUrl}/#/leads`);
  await page.getByTestId('lead-row').first().waitFor();
  await shot('leads');
  // A lead with calls: the demo adds leads for numbers the demo account called (scripts/demo.sh).
  await page.getByTestId('leads-search').fill('Demo caller');
  await page.getByTestId('leads-search-submit').click();
  await page.getByTestId('lead-link').first().click();
  await page.getByTestId('call-row').first().waitFor();
  await shot('lead-detail');

  await page.goto(`${baseUrl}/#/agents`);
  await page.getByTestId('agents-row').first().waitFor();
  await shot('agents');
  await page.getByTestId('agents-row').first().getByRole('link').click();
  await page.getByTestId('call-stats').waitFor();
  await shot('agent-detail');

  await page.goto(`${baseUrl}/#/numbers`);
  await page.getByTestId('numbers-row').first().waitFor();
  await shot('numbers');
  await page.goto(`${baseUrl}/#/campaigns`);
  await page.getByTestId('campaigns-row').first().waitFor();
  await shot('campaigns');
  await page.getByTestId('campaigns-row').first().getByRole('link').first().click();
  await page.getByTestId('campaign-calls').waitFor();
  await shot('campaign-detail');

  await page.goto(`${baseUrl}/#/charts`);
  await page.getByTestId('chart-leads').locator('canvas').waitFor();
  await page.waitForTimeout(500);
  await shot('charts');
  console.log(`saved the screenshots in ${path.relative(process.cwd(), out)}`);
} finally {
  await browser.close();
}
