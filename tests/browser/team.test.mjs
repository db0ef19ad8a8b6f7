// The Team page in a real browser (playwright-core driving Debian's Chromium) against the real
// server and simulator: an owner invites a viewer, the viewer accepts the copied link in another
// browser, sees no control a viewer cannot use, and the owner's role change shows in the Audit
// page; a viewer and a member see only the Settings and Dashboard controls of their role; a person
// invited to a second tenant joins with the login they have and switches between the two.
// Needs TENANTSYNC_BIN, TENANTSYNC_SIM_BIN and web/dist (scripts/build-web.sh).

import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { signup, startStack } from '../functional/lib/harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const { chromium } = createRequire(path.join(root, 'web/package.json'))('playwright-core');
const kChromium = process.env.TENANTSYNC_CHROMIUM ?? '/usr/bin/chromium';
const kScreenshots = path.resolve(root, process.env.TENANTSYNC_SCREENSHOT_DIR ?? 'build/screenshots');
const kWebRoot = path.join(root, 'web/dist');
const kLaunchArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run'];
// The simulator's demo account with 3 agents (docs/simulator.md).
const kDemoKey = 'bn-demo-key-1';

let server;
let browser;

/** Invites `email` to the tenant of `owner` through the API; returns the one-time link. */
async function inviteLink(owner, email, role) {
  const res = await server.api('POST', '/api/team/invitations', { token: owner.token, body: { email, role } });
  assert.equal(res.status, 201, res.text);
  return `${server.baseUrl}/#/accept-invitation/${res.json.token}`;
}

/** A new person with a password, invited to the tenant of `owner` as `role`; returns their token. */
async function newMember(owner, role) {
  const email = `${role}-${Date.now()}@roles.example`;
  const link = await inviteLink(owner, email, role);
  const token = link.split('/').pop();
  const res = await server.api('POST', `/api/team/invitations/${token}/accept`, { body: { password: `${role} password 1` } });
  assert.equal(res.status, 201, res.text);
  return res.json.token;
}

async function assertAbsent(page, testIds) {
  for (const id of testIds) assert.equal(await page.getByTestId(id).count(), 0, `${id} should not show`);
}

/** A page signed in with `token` (the dashboard keeps it in localStorage). */
async function signedIn(token) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  if (token) await context.addInitScript((t) => window.localStorage.setItem('tenantsync.token', t), token);
  return page;
}

describe('the Team page in a real browser', { timeout: 240_000 }, () => {
  before(async () => {
    mkdirSync(kScreenshots, { recursive: true });
    assert.ok(existsSync(kChromium), `Chromium not found at ${kChromium}`);
    assert.ok(existsSync(path.join(kWebRoot, 'index.html')), `no dashboard build in ${kWebRoot} (run scripts/build-web.sh)`);
    server = await startStack({ webRoot: kWebRoot, env: { TENANTSYNC_VOICE_SCHEDULE: 'off', TENANTSYNC_CRM_SCHEDULE: 'off' } });
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
    // The link says where it leads before anything is typed.
    await viewerPage.getByRole('heading', { name: 'Join Browser Team' }).waitFor();
    assert.equal((await viewerPage.getByTestId('accept-preview').textContent()).trim(), `Invitation for ${email} as viewer.`);
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

  test('a viewer sees no Settings or Dashboard action; a member syncs and adds leads but has no key or CRM controls', async () => {
    const owner = await signup(server, 'Browser Roles');
    const saved = await server.api('PUT', '/api/tenant/settings', { token: owner.token, body: { voice_api_key: kDemoKey } });
    assert.equal(saved.status, 200, saved.text);
    const viewer = await signedIn(await newMember(owner, 'viewer'));
    const member = await signedIn(await newMember(owner, 'member'));
    const masked = `•••• ${kDemoKey.slice(-4)}`;

    // A viewer: the key's last characters as a fact, no form, no sync, no rotate, no setting the call
    // webhook on the agents; no CRM or lead controls.
    await viewer.goto(`${server.baseUrl}/#/settings`);
    await viewer.getByTestId('my-role').filter({ hasText: 'viewer' }).waitFor();
    await viewer.getByTestId('voice-settings-facts').waitFor();
    assert.equal((await viewer.getByTestId('voice-key-masked').textContent()).trim(), masked);
    await viewer.getByTestId('billing-card').waitFor();
    await assertAbsent(viewer, ['settings-save', 'sync-button', 'call-webhook-rotate', 'agents-webhook-enable',
      'agents-webhook-disable', 'nav-webhooks', 'nav-audit']);
    assert.equal(await viewer.locator('#voice-key').count(), 0);
    await viewer.screenshot({ path: path.join(kScreenshots, 'settings-viewer.png'), fullPage: true });
    await viewer.getByTestId('nav-dashboard').click();
    await viewer.getByTestId('crm-card').waitFor();
    await viewer.getByTestId('export-leads-csv').waitFor();
    await assertAbsent(viewer, ['crm-connect-toggle', 'crm-refresh', 'add-lead-toggle']);
    await viewer.getByTestId('nav-archive').click();
    await viewer.getByRole('heading', { name: 'Archive', exact: true }).waitFor();
    await assertAbsent(viewer, ['archive-restore']);

    // A member: sync (and it works), Refresh CRM and Add lead; still no key form, rotate, agents' call
    // webhook or Connect CRM.
    await member.goto(`${server.baseUrl}/#/settings`);
    await member.getByTestId('my-role').filter({ hasText: 'member' }).waitFor();
    await member.getByTestId('voice-settings-facts').waitFor();
    assert.equal((await member.getByTestId('voice-key-masked').textContent()).trim(), masked);
    await assertAbsent(member, ['settings-save', 'call-webhook-rotate', 'agents-webhook-enable', 'agents-webhook-disable',
      'nav-webhooks', 'nav-audit']);
    await member.getByTestId('sync-button').click();
    await member.getByTestId('sync-result').filter({ hasText: /^Sync completed/ }).waitFor();
    await member.getByTestId('nav-dashboard').click();
    await member.getByTestId('crm-refresh').waitFor();
    await member.getByTestId('add-lead-toggle').waitFor();
    await assertAbsent(member, ['crm-connect-toggle']);
  });

  test('a person invited to a second tenant joins with the login they have and switches between the two', async () => {
    const acme = await signup(server, 'Acme Browser');
    const globex = await signup(server, 'Globex Browser');
    const link = await inviteLink(acme, globex.email, 'member');
    const page = await signedIn(null);

    // Signed out, a new password for an e-mail that has a login is refused with what to do.
    await page.goto(link);
    await page.getByTestId('accept-password').fill('another password 1');
    await page.getByTestId('accept-submit').click();
    await page.getByTestId('accept-error').filter({ hasText: 'Log in with it, then open this link again' }).waitFor();

    // Logged in, the same link joins with that login.
    await page.getByTestId('accept-log-in').click();
    await page.getByLabel('E-mail').fill(globex.email);
    await page.getByLabel('Password').fill(globex.password);
    await page.getByTestId('auth-submit').click();
    await page.getByTestId('my-role').filter({ hasText: 'owner' }).waitFor();
    await page.goto(link);
    await page.getByRole('button', { name: `Join as ${globex.email}` }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.getByTestId('my-role').filter({ hasText: 'member' }).waitFor();
    await page.getByTestId('who').filter({ hasText: 'Acme Browser' }).waitFor();
    // The member's controls, not the owner's it has at home.
    await page.getByTestId('add-lead-toggle').waitFor();
    await assertAbsent(page, ['crm-connect-toggle']);

    // The switcher lists both, by tenant id, with the role in each; switching opens the other one.
    const switcher = page.getByTestId('tenant-switcher');
    assert.deepEqual((await switcher.locator('option').allTextContents()).map((t) => t.trim()),
      ['Acme Browser · member', 'Globex Browser · owner']);
    await page.screenshot({ path: path.join(kScreenshots, 'tenant-switcher.png') });
    await switcher.selectOption({ label: 'Globex Browser · owner' });
    await page.getByTestId('my-role').filter({ hasText: 'owner' }).waitFor();
    await page.getByTestId('who').filter({ hasText: 'Globex Browser' }).waitFor();
    await page.getByTestId('crm-connect-toggle').waitFor();
    await page.getByTestId('nav-team').click();
    await page.locator(`[data-testid=member-row][data-email="${globex.email}"]`).waitFor();
    await page.getByTestId('invite-submit').waitFor();
    await page.getByTestId('tenant-switcher').selectOption({ label: 'Acme Browser · member' });
    await page.getByTestId('my-role').filter({ hasText: 'member' }).waitFor();
    await page.locator(`[data-testid=member-row][data-email="${acme.email}"]`).waitFor();
    await assertAbsent(page, ['invite-submit', 'member-remove']);
  });
});
