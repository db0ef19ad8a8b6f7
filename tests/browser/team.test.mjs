// The Team page in a real browser (playwright-core driving Debian's Chromium) against the real
// server: an owner invites a viewer, the viewer accepts the copied link in another browser, sees
// no control a viewer cannot use, and the owner's role change shows in the Audit page.
// Needs TENANTSYNC_BIN, TENANTSYNC_SIM_BIN and web/dist (scripts/build-web.sh).

import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { signup, startServer } from '../functional/lib/harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const { chromium } = createRequire(path.join(root, 'web/package.json'))('playwright-core');
const kChromium = process.env.TENANTSYNC_CHROMIUM ?? '/usr/bin/chromium';
const kScreenshots = path.resolve(root, process.env.TENANTSYNC_SCREENSHOT_DIR ?? 'build/screenshots');
const kWebRoot = path.join(root, 'web/dist');
const kLaunchArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run'];

let server;
let browser;

/** A page signed in with `token` (the dashboard keeps it in localStorage). */
async function signedIn(token) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  if (token) await context.addInitScript((t) => window.localStorage.setItem('tenantsync.token', t), token);
  return page;
}

describe('the Team page in a real browser', { timeout: 120_000 }, () => {
  before(async () => {
    mkdirSync(kScreenshots, { recursive: true });
    assert.ok(existsSync(kChromium), `Chromium not found at ${kChromium}`);
    assert.ok(existsSync(path.join(kWebRoot, 'index.html')), `no dashboard build in ${kWebRoot} (run scripts/build-web.sh)`);
    server = await startServer({ webRoot: kWebRoot, env: { TENANTSYNC_VOICE_SCHEDULE: 'off', TENANTSYNC_CRM_SCHEDULE: 'off' } });
    browser = await chromium.launch({ executablePath: kChromium, headless: true, args: kLaunchArgs });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('invite by link, accept, a viewer sees only what it may use, the role change is audited', async () => {
    const owner = await signup(server, 'Browser Team');
    const ownerPage = await signedIn(owner.token);
    await ownerPage.goto(`${server.baseUrl}/#/team`);
    await ownerPage.getByRole('heading', { name: 'Team' }).waitFor();
    await ownerPage.getByTestId('my-role').filter({ hasText: 'owner' }).waitFor();
    await ownerPage.locator(`[data-testid=member-row][data-email="${owner.email}"]`).waitFor();

    const email = `viewer-${Date.now()}@team.example`;
    await ownerPage.getByTestId('invite-email').fill(email);
    await ownerPage.getByTestId('invite-role').selectOption('viewer');
    await ownerPage.getByTestId('invite-submit').click();
    const link = (await ownerPage.getByTestId('invite-link-text').textContent()).trim();
    assert.match(link, /\/#\/accept-invitation\/[A-Za-z0-9_-]+$/);
    await ownerPage.getByTestId('invitation-row').filter({ hasText: email }).waitFor();
    await ownerPage.screenshot({ path: path.join(kScreenshots, 'team-owner.png'), fullPage: true });

    // The invited person opens the link in a browser of their own.
    const viewerPage = await signedIn(null);
    await viewerPage.goto(link);
    await viewerPage.getByTestId('accept-password').fill('viewer password 1');
    await viewerPage.getByTestId('accept-submit').click();
    await viewerPage.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await viewerPage.getByTestId('my-role').filter({ hasText: 'viewer' }).waitFor();
    // A viewer: no Audit page, no Add lead, no team controls; the exports are there.
    assert.equal(await viewerPage.getByTestId('nav-audit').count(), 0);
    await viewerPage.getByTestId('export-leads-csv').waitFor();
    assert.equal(await viewerPage.getByTestId('add-lead-toggle').count(), 0);
    await viewerPage.getByTestId('nav-team').click();
    await viewerPage.locator(`[data-testid=member-row][data-email="${email}"]`).waitFor();
    assert.equal(await viewerPage.getByTestId('invite-submit').count(), 0);
    assert.equal(await viewerPage.getByTestId('member-remove').count(), 0);
    assert.equal(await viewerPage.getByTestId('member-role').count(), 0);
    assert.equal(await viewerPage.getByTestId('delete-tenant').count(), 0);
    await viewerPage.screenshot({ path: path.join(kScreenshots, 'team-viewer.png'), fullPage: true });

    // The owner makes the viewer an admin; the Audit page shows it.
    await ownerPage.reload();
    const row = ownerPage.locator(`[data-testid=member-row][data-email="${email}"]`);
    await row.getByTestId('member-role').selectOption('admin');
    await ownerPage.getByTestId('nav-audit').click();
    await ownerPage.locator('[data-testid=audit-row][data-action=member_role_changed]').waitFor();
    await ownerPage.locator('[data-testid=audit-row][data-action=invitation_accepted]').waitFor();
    await ownerPage.screenshot({ path: path.join(kScreenshots, 'audit.png'), fullPage: true });
  });
});
