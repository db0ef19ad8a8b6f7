// Browser tests of the dashboard: Debian's Chromium driven by playwright-core against the real
// tenantsync server (serving the built dashboard, web/dist, from scripts/build-web.sh) and the
// upstream simulator with its demo seed (both started by tests/functional/lib/harness.mjs).
// Needs TENANTSYNC_BIN and TENANTSYNC_SIM_BIN; screenshots of each page go to
// TENANTSYNC_SCREENSHOT_DIR (default build/screenshots).

import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { request, signup, startStack } from '../functional/lib/harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
// playwright-core is a dev dependency of web/, installed by scripts/build-web.sh.
const { chromium } = createRequire(path.join(root, 'web/package.json'))('playwright-core');

const kChromium = process.env.TENANTSYNC_CHROMIUM ?? '/usr/bin/chromium';
const kScreenshots = path.resolve(root, process.env.TENANTSYNC_SCREENSHOT_DIR ?? 'build/screenshots');
const kWebRoot = path.join(root, 'web/dist');
const kTimeout = 15_000;

// The simulator's demo data and control API (docs/simulator.md).
const kHubspotPortal = 4000001;
const kSim = {
  demoKey1: 'bn-demo-key-1', // acct-demo-1: 3 agents
  demoKey2: 'bn-demo-key-2', // acct-demo-2: 1 agent
  rejectedKey: 'bn-not-a-real-key',
  hubspotToken: process.env.TENANTSYNC_SIM_HUBSPOT_TOKEN ?? 'pat-demo-hubspot-1', // portal 4000001
  addAccount: (h, account) => h.sim.post('/_sim/bolna/accounts', account),
  // Adds agents to the account (one or an array).
  addAgents: (h, id, agents) => h.sim.post(`/_sim/bolna/accounts/${id}/agents`, agents),
  // Removes every agent of the account, as if deleted in the upstream dashboard.
  removeAllAgents: (h, id) => h.sim.del(`/_sim/bolna/accounts/${id}/agents`),
  addHubspotContacts: (h, contacts) => h.sim.post(`/_sim/hubspot/portals/${kHubspotPortal}/contacts`,
    contacts.map((properties) => ({ properties }))),
};

const kLaunchArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run',
];

let stack;
let browser;
let page;
const cspViolations = [];

async function screenshot(name) {
  await page.screenshot({ path: path.join(kScreenshots, `${name}.png`), fullPage: true });
}

async function go(name) {
  await page.getByTestId(`nav-${name}`).click();
}

async function expectText(testId, expected, timeout = kTimeout) {
  const locator = page.getByTestId(testId);
  await locator.first().waitFor({ timeout });
  const deadline = Date.now() + timeout;
  let last = '';
  while (Date.now() < deadline) {
    last = (await locator.first().textContent()) ?? '';
    if (expected instanceof RegExp ? expected.test(last) : last.trim() === expected) return last;
    await page.waitForTimeout(100);
  }
  assert.fail(`${testId}: expected ${expected}, saw "${last}"`);
}

async function saveKey(key) {
  await page.getByLabel('Voice API key').fill(key);
  await page.getByTestId('settings-save').click();
}

describe('dashboard in a real browser', { timeout: 300_000 }, () => {
  before(async () => {
    mkdirSync(kScreenshots, { recursive: true });
    assert.ok(existsSync(kChromium), `Chromium not found at ${kChromium} (scripts/install-deps.sh --test installs it)`);
    assert.ok(existsSync(path.join(kWebRoot, 'index.html')), `no dashboard build in ${kWebRoot} (run scripts/build-web.sh)`);
    // The schedules are off so that every run the tests see is one they started.
    stack = await startStack({
      webRoot: kWebRoot,
      env: { TENANTSYNC_VOICE_SCHEDULE: 'off', TENANTSYNC_CRM_SCHEDULE: 'off' },
    });
    browser = await chromium.launch({ executablePath: kChromium, headless: true, args: kLaunchArgs });
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    page = await context.newPage();
    page.setDefaultTimeout(kTimeout);
    // Anything the dashboard's Content-Security-Policy blocks shows up as a console error.
    page.on('console', (msg) => {
      if (/Content Security Policy|Content-Security-Policy/i.test(msg.text())) cspViolations.push(msg.text());
    });
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  test('sign up', async () => {
    await page.goto(stack.baseUrl);
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await screenshot('login');
    await page.getByTestId('auth-switch').click();
    await page.getByLabel('Workspace name').fill('Browser Test Co');
    await page.getByLabel('E-mail').fill(`browser-${Date.now()}@example.com`);
    await page.getByLabel('Password').fill('a long enough password 1');
    await page.getByTestId('auth-submit').click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    // A marker that survives only as long as the page is not reloaded.
    await page.evaluate(() => {
      window.__tenantsyncNoReload = true;
    });
  });

  test("account 1's key: Settings and Dashboard both show 3 agents", async () => {
    await go('settings');
    if (stack.voiceBaseUrl) await page.getByLabel('White-label base URL').fill(stack.voiceBaseUrl);
    await saveKey(kSim.demoKey1);
    await expectText('voice-key-masked', `•••• ${kSim.demoKey1.slice(-4)}`);
    await expectText('count-agents', '3');
    await go('dashboard');
    await expectText('count-agents', '3');
  });

  test("account 2's key: both show 1 without a reload", async () => {
    await go('settings');
    await saveKey(kSim.demoKey2);
    await expectText('voice-key-masked', `•••• ${kSim.demoKey2.slice(-4)}`);
    await expectText('count-agents', '1');
    await go('dashboard');
    await expectText('count-agents', '1');
    assert.equal(await page.evaluate(() => window.__tenantsyncNoReload), true, 'the page was reloaded');
  });

  test('↻ shows "Sync completed"', async () => {
    await go('settings');
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expectText('sync-result', /^Sync completed/);
    await expectText('count-agents', '1');
    await expectText('sync-status', /Last synced/);
    await screenshot('settings');
  });

  test('a rejected key shows its error and keeps the old key', async () => {
    await saveKey(kSim.rejectedKey);
    const text = await expectText('settings-error', /^The voice platform rejected this key: .+/);
    assert.ok(text.length > 'The voice platform rejected this key: '.length + 3, `no reason shown: ${text}`);
    await expectText('voice-key-masked', `•••• ${kSim.demoKey2.slice(-4)}`);
    await expectText('count-agents', '1');
  });

  test('Connect CRM: leads appear in Recent Threads within 3 s', async () => {
    await go('dashboard');
    await page.getByTestId('crm-connect-toggle').click();
    await page.getByLabel('Provider').selectOption('hubspot');
    await page.getByLabel('Token', { exact: true }).check();
    await page.getByLabel('Access token').fill(kSim.hubspotToken);
    const started = Date.now();
    await page.getByTestId('crm-connect-submit').click();
    await page.getByTestId('lead-row').first().waitFor({ timeout: 3000 });
    const elapsed = Date.now() - started;
    assert.ok(elapsed <= 3000, `leads took ${elapsed} ms`);
    await page.getByTestId('crm-connection').first().waitFor();
    // E.164 phone numbers, as the CRM sync normalises them.
    const phones = await page.locator('[data-testid="lead-row"] td[data-label="Phone"]').allTextContents();
    assert.ok(phones.some((p) => /^\+\d{8,15}$/.test(p.trim())), `no E.164 phone in ${JSON.stringify(phones)}`);
  });

  test('Refresh CRM after contacts change upstream', async () => {
    await page.getByTestId('crm-connection').first().waitFor();
    // Let the first sync finish, so that the refresh is not joined to it.
    await page.waitForFunction(() => !document.querySelector('[data-testid="crm-connection"][data-state="syncing"]'));
    const before = await page.getByTestId('lead-row').count();
    await kSim.addHubspotContacts(stack, [{
      firstname: 'Browser', lastname: 'Newcontact', email: 'browser.newcontact@example.com', phone: '+1 415 555 0199',
    }]);
    await page.getByTestId('crm-refresh').click();
    await expectText('crm-result', /CRM refreshed: [1-9]\d* created, \d+ updated, \d+ unchanged/);
    await page.getByTestId('lead-row').filter({ hasText: 'Browser Newcontact' }).waitFor();
    const row = page.getByTestId('lead-row').filter({ hasText: 'Browser Newcontact' });
    assert.match((await row.textContent()) ?? '', /\+14155550199/);
    assert.ok((await page.getByTestId('lead-row').count()) >= Math.min(before + 1, 20));
    await screenshot('dashboard');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot('dashboard-phone');
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  test("Connect CRM through Nango's Connect UI: the connection is bound to this tenant", async () => {
    await go('dashboard');
    await page.getByTestId('crm-connect-toggle').click();
    await page.getByLabel('Provider').selectOption('hubspot');
    await page.getByLabel('Nango (sign in to the CRM)').check();
    await page.getByTestId('crm-connect-submit').click();
    // @nangohq/frontend opens the simulator's connect page in its iframe and hands it the token.
    const connectUi = page.frameLocator('#connect-ui');
    await connectUi.getByLabel('HubSpot portal id').fill(String(kHubspotPortal));
    await screenshot('nango-connect-ui');
    await connectUi.getByRole('button', { name: 'Authorize' }).click();
    await expectText('crm-connected', /^HubSpot connected\./);
    await page.locator('#connect-ui').waitFor({ state: 'detached' });
    const token = await page.evaluate(() => localStorage.getItem('tenantsync.token'));
    const me = (await stack.api('GET', '/api/auth/me', { token })).json;
    const made = (await stack.sim.get('/_sim/nango/connections')).filter((c) => c.tags.end_user_id);
    assert.equal(made.length, 1, JSON.stringify(made));
    assert.equal(made[0].tags.end_user_id, String(me.tenant.id));
    const status = (await stack.api('GET', '/api/crm/status', { token })).json.connections;
    assert.equal(status.length, 1, 'the same portal: the connection is updated, not doubled');
    assert.equal(status[0].auth_kind, 'nango');
    assert.equal(status[0].account_id, String(kHubspotPortal));
  });

  test('an upstream that empties its agent list: the held plan shows on Sync history, Confirm applies it', async () => {
    const stamp = Date.now();
    const id = `browser-guard-${stamp}`;
    const key = `bn-guard-${stamp}`;
    const names = ['Guard Agent A', 'Guard Agent B', 'Guard Agent C', 'Guard Agent D'];
    await kSim.addAccount(stack, { id, key, name: 'Guard test account' });
    await kSim.addAgents(stack, id, names.map((name, i) => ({ id: `${id}-${i}`, agent_name: name })));
    await go('settings');
    await saveKey(key);
    await expectText('count-agents', '4');
    await kSim.removeAllAgents(stack, id);
    await page.getByRole('button', { name: 'Sync now' }).click();
    // Held: nothing is removed until someone confirms.
    const settingsPlan = page.getByTestId('held-plan');
    await settingsPlan.waitFor();
    for (const name of names) await settingsPlan.getByText(name, { exact: true }).waitFor();
    await expectText('count-agents', '4');
    await screenshot('settings-held-plan');

    await go('history');
    const heldRow = page.locator('[data-testid="run-row"][data-state="held"]').first();
    await heldRow.waitFor();
    await heldRow.getByRole('link', { name: /Details/ }).click();
    const detail = page.getByTestId('run-detail');
    await detail.waitFor();
    await expectText('run-state', 'Held');
    await detail.getByTestId('run-planned').waitFor();
    const plan = detail.getByTestId('held-plan');
    for (const name of names) await plan.getByText(name, { exact: true }).waitFor();
    await screenshot('history');
    await plan.getByRole('button', { name: 'Confirm' }).click();
    await expectText('run-decision', /^Sync completed: 4 removed/);
    await page.locator('[data-testid="run-row"][data-state="succeeded"]').first().waitFor();
    await go('dashboard');
    await expectText('count-agents', '0');
  });

  test('Restore from the archive brings a record back', async () => {
    await go('archive');
    await page.getByTestId('archive-tab-agents').click();
    const row = page.getByTestId('archive-row').filter({ hasText: 'Guard Agent A' });
    await row.waitFor();
    await screenshot('archive');
    await row.getByRole('button', { name: 'Restore Guard Agent A' }).click();
    await expectText('archive-notice', 'Restored Guard Agent A.');
    await row.waitFor({ state: 'detached' });
    await go('dashboard');
    await expectText('count-agents', '1');
  });

  test("Settings: every agent's webhook URL set to the call-webhook URL after consent, then taken off again", async () => {
    // A tenant and voice account of its own, so the agents' URLs are known: two without a webhook
    // URL and one that sends its calls elsewhere (kept unless the consent step's box is ticked).
    const stamp = Date.now();
    const id = `browser-hook-${stamp}`;
    const key = `bn-hook-${stamp}`;
    const elsewhere = 'https://elsewhere.example/bolna-hook';
    const agents = [
      { id: `${id}-a`, agent_name: 'Hook Agent A' },
      { id: `${id}-b`, agent_name: 'Hook Agent B' },
      { id: `${id}-c`, agent_name: 'Hook Agent C', webhook_url: elsewhere },
    ];
    await kSim.addAccount(stack, { id, key, name: 'Webhook test account' });
    await kSim.addAgents(stack, id, agents);
    const owner = await signup(stack, 'Webhook Browser Co');
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    await context.addInitScript((t) => window.localStorage.setItem('tenantsync.token', t), owner.token);
    const admin = await context.newPage();
    admin.setDefaultTimeout(kTimeout);
    admin.on('console', (msg) => {
      if (/Content Security Policy|Content-Security-Policy/i.test(msg.text())) cspViolations.push(msg.text());
    });
    // The agent as the voice platform's own API shows it.
    const upstreamAgent = async (agentId) => {
      const res = await request(stack.sim.url, 'GET', `/v2/agent/${agentId}`, { token: key });
      assert.equal(res.status, 200, res.text);
      return res.json;
    };
    const outcomes = async () => Object.fromEntries(await admin.getByTestId('agents-webhook-row').evaluateAll(
      (rows) => rows.map((r) => [r.dataset.agentId, r.dataset.outcome])));

    try {
      await admin.goto(`${stack.baseUrl}/#/settings`);
      await admin.getByTestId('my-role').filter({ hasText: 'owner' }).waitFor();
      if (stack.voiceBaseUrl) await admin.getByLabel('White-label base URL').fill(stack.voiceBaseUrl);
      await admin.getByLabel('Voice API key').fill(key);
      await admin.getByTestId('settings-save').click();
      await admin.getByTestId('voice-key-masked').filter({ hasText: key.slice(-4) }).waitFor();
      const hookUrl = await admin.getByTestId('call-webhook-url').inputValue();
      const settings = await stack.api('GET', '/api/tenant/settings', { token: owner.token });
      assert.equal(hookUrl, settings.json.call_webhook_url);

      // Send calls here: the consent step says what happens and sends nothing until confirmed.
      await admin.getByTestId('agents-webhook-enable').click();
      const consent = admin.getByTestId('agents-webhook-consent');
      await consent.filter({ hasText: 'every agent of your Bolna account' }).waitFor();
      await consent.filter({ hasText: 'through the Bolna API' }).waitFor();
      assert.equal(await consent.getByLabel('Also replace webhook URLs that point elsewhere').isChecked(), false);
      assert.ok(!(await upstreamAgent(agents[0].id)).webhook_url, 'changed before the confirm');
      await consent.getByTestId('agents-webhook-confirm').click();
      await admin.getByTestId('agents-webhook-summary')
        .filter({ hasText: '2 agents changed, 1 kept its own webhook URL, 0 failed.' }).waitFor();
      assert.deepEqual(await outcomes(), { [agents[0].id]: 'set', [agents[1].id]: 'set', [agents[2].id]: 'kept_other' });
      await admin.locator(`[data-testid=agents-webhook-row][data-agent-id="${agents[2].id}"]`).filter({ hasText: elsewhere }).waitFor();
      for (const agent of agents.slice(0, 2)) assert.equal((await upstreamAgent(agent.id)).webhook_url, hookUrl, agent.id);
      assert.equal((await upstreamAgent(agents[2].id)).webhook_url, elsewhere);
      await admin.screenshot({ path: path.join(kScreenshots, 'settings-agents-webhook.png'), fullPage: true });

      // Stop: this server's URL comes off again; the other URL stays.
      await admin.getByTestId('agents-webhook-disable').click();
      await admin.getByTestId('agents-webhook-consent').getByTestId('agents-webhook-confirm').click();
      // The same summary as before, so the new report is recognised by its outcomes.
      await admin.locator('[data-testid=agents-webhook-row][data-outcome=cleared]').nth(1).waitFor();
      assert.equal((await admin.getByTestId('agents-webhook-summary').textContent()).trim(),
        '2 agents changed, 1 kept its own webhook URL, 0 failed.');
      assert.deepEqual(await outcomes(), { [agents[0].id]: 'cleared', [agents[1].id]: 'cleared', [agents[2].id]: 'kept_other' });
      for (const agent of agents.slice(0, 2)) assert.ok(!(await upstreamAgent(agent.id)).webhook_url, `${agent.id} still has a webhook URL`);
      assert.equal((await upstreamAgent(agents[2].id)).webhook_url, elsewhere);
    } finally {
      await context.close();
    }
  });

  test('log out returns to the login page', async () => {
    await page.getByTestId('logout').click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    assert.equal(await page.evaluate(() => localStorage.getItem('tenantsync.token')), null);
  });

  test('the dashboard runs under its strict CSP without a single violation', async () => {
    const res = await page.goto(stack.baseUrl);
    const csp = res.headers()['content-security-policy'] ?? '';
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    assert.deepEqual(cspViolations, [], `CSP violations: ${cspViolations.join('\n')}`);
  });
});
