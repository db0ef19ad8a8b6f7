// Browser tests of the browsing pages (Calls, call detail, Leads, lead detail, Agents, agent
// detail, Phone numbers, Campaigns, campaign detail, Charts): Debian's Chromium driven by
// playwright-core against the real server (serving web/dist) and the simulator, with an account
// made here so every figure is known. Screenshots of each page go to TENANTSYNC_SCREENSHOT_DIR.

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
const kTimeout = 15_000;
const kLaunchArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run'];

const kAccount = `acct-pages-${process.pid}`;
const kKey = `bn-${kAccount}`;
const kLeadNumber = '+14155552671';      // Dana's number, called twice
const kLeadTyped = '415.555.2671';       // …as a person types it in the search box
const HOUR = 3_600_000;

let stack;
let browser;
let page;
let user;
const cspViolations = [];

async function screenshot(name) {
  await page.screenshot({ path: path.join(kScreenshots, `${name}.png`), fullPage: true });
}

async function rows(testId) {
  return page.getByTestId(testId).locator('tbody tr');
}

// The simulator account: two agents, a campaign, five calls (two of them with Dana's number).
async function seed() {
  const base = `/_sim/bolna/accounts/${kAccount}`;
  // Full listing rows, so the campaign's figures are known before any call is opened
  // (functional_call-columns covers the trimmed rows of the default quirk).
  await stack.sim.post('/_sim/bolna/quirks', { trim_list_rows: false });
  await stack.sim.post('/_sim/bolna/accounts', { id: kAccount, key: kKey });
  await stack.sim.post(`${base}/agents`, [{ id: 'ag-sales', agent_name: 'Sales Agent' }, { id: 'ag-care', agent_name: 'Care Agent' }]);
  await stack.sim.post(`${base}/phone_numbers`, [{ id: 'pn-1', phone_number: '+14155550000', agent_id: 'ag-sales' }]);
  await stack.sim.post(`${base}/agents/ag-sales/batches`,
    { batch_id: 'batch-spring', file_name: 'spring.csv', status: 'executed', total_contacts: 4, valid_contacts: 4 });
  const now = Date.now();
  const call = (id, hoursAgo, status, to, extra = {}) => ({
    id, status, created_at: new Date(now - hoursAgo * HOUR).toISOString(),
    conversation_duration: status === 'completed' ? 120 : 0, total_cost: status === 'completed' ? 0.75 : 0,
    transcript: status === 'completed' ? `assistant: Hello, this is ${id}.\nuser: Hi, tell me more.` : null,
    telephony_data: { to_number: to, from_number: '+14155550000', call_type: 'outbound', provider: 'twilio',
      recording_url: `https://recordings.example/${id}.mp3` },
    extracted_data: { interested: true },
    ...extra,
  });
  await stack.sim.post(`${base}/agents/ag-sales/executions`, [
    call('ex-sales-1', 30, 'completed', kLeadNumber, { batch_id: 'batch-spring' }),
    call('ex-sales-2', 5, 'no-answer', '+14155552672', { batch_id: 'batch-spring' }),
    call('ex-sales-3', 2, 'completed', kLeadNumber),
  ]);
  await stack.sim.post(`${base}/agents/ag-care/executions`, [
    call('ex-care-1', 50, 'completed', '+14155552673'),
    call('ex-care-2', 1, 'busy', '+14155552674'),
  ]);
}

describe('browsing pages in a real browser', { timeout: 240_000 }, () => {
  before(async () => {
    mkdirSync(kScreenshots, { recursive: true });
    assert.ok(existsSync(kChromium), `Chromium not found at ${kChromium} (scripts/install-deps.sh --test installs it)`);
    assert.ok(existsSync(path.join(kWebRoot, 'index.html')), `no dashboard build in ${kWebRoot} (run scripts/build-web.sh)`);
    stack = await startStack({ webRoot: kWebRoot, env: { TENANTSYNC_VOICE_SCHEDULE: 'off', TENANTSYNC_CRM_SCHEDULE: 'off' } });
    await seed();
    user = await signup(stack, 'Pages Co');
    const put = await stack.api('PUT', '/api/tenant/settings', { token: user.token, body: { voice_api_key: kKey } });
    assert.equal(put.status, 200, put.text);
    for (const until = Date.now() + 30_000; Date.now() < until;) {
      if ((await stack.api('GET', '/api/executions', { token: user.token })).json?.items?.length === 5) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    // Dana, typed as a person would; her lead's calls are the two calls to her number.
    const lead = await stack.api('POST', '/api/leads', { token: user.token,
      body: { name: 'Dana Caller', phone: '(415) 555-2671', email: 'dana@example.com' } });
    assert.equal(lead.status, 201, lead.text);
    await stack.api('POST', '/api/leads', { token: user.token, body: { name: 'Eli Other', phone: '+14155559999' } });

    browser = await chromium.launch({ executablePath: kChromium, headless: true, args: kLaunchArgs });
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    page = await context.newPage();
    page.setDefaultTimeout(kTimeout);
    page.on('console', (msg) => {
      if (/Content Security Policy|Content-Security-Policy/i.test(msg.text())) cspViolations.push(msg.text());
    });
    await page.goto(stack.baseUrl);
    await page.getByLabel('E-mail').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByTestId('auth-submit').click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  test('Calls: filter by agent', async () => {
    await page.getByTestId('nav-calls').click();
    await page.getByRole('heading', { name: 'Calls' }).waitFor();
    await page.getByTestId('call-row').nth(4).waitFor();
    assert.equal(await page.getByTestId('call-row').count(), 5);
    await page.getByTestId('calls-filter-agent').selectOption({ label: 'Care Agent' });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="call-row"]').length === 2);
    const agents = await page.locator('[data-testid="call-row"] td[data-label="Agent"]').allTextContents();
    assert.deepEqual(agents, ['Care Agent', 'Care Agent']);
    assert.match(page.url(), /#\/calls\?agent_id=ag-care$/);
    await screenshot('calls');
  });

  test('a call: its transcript, recording and extracted data', async () => {
    await page.goto(`${stack.baseUrl}/#/calls`);
    await page.getByTestId('call-row').nth(4).waitFor();
    // The newest completed call of the sales agent.
    await page.locator('[data-testid="call-row"]', { hasText: 'Sales Agent' }).filter({ hasText: 'completed' }).first()
      .getByTestId('call-link').click();
    const transcript = page.getByTestId('call-transcript');
    await transcript.waitFor();
    assert.match(await transcript.textContent(), /assistant: Hello, this is ex-sales-3\.\nuser: Hi, tell me more\./);
    assert.equal(await page.getByTestId('call-recording-link').getAttribute('href'), 'https://recordings.example/ex-sales-3.mp3');
    assert.match(await page.getByTestId('call-extracted').textContent(), /"interested": true/);
    assert.equal(await page.getByTestId('call-detail-error').count(), 0);
    await screenshot('call-detail');
  });

  test('Leads: search by a phone number typed in another format, open the lead and see its calls', async () => {
    await page.getByTestId('nav-leads').click();
    await page.getByTestId('lead-row').nth(1).waitFor();
    await screenshot('leads');
    await page.getByTestId('leads-search').fill(kLeadTyped);
    await page.getByTestId('leads-search-submit').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="lead-row"]').length === 1);
    assert.match(await page.getByTestId('lead-row').textContent(), /Dana Caller/);
    await page.getByTestId('lead-link').click();
    await page.getByTestId('lead-name').filter({ hasText: 'Dana Caller' }).waitFor();
    assert.match(await page.getByTestId('lead-phone').textContent(), /\+14155552671/);
    await page.getByTestId('call-row').nth(1).waitFor();
    assert.equal(await page.getByTestId('call-row').count(), 2);
    const numbers = await page.locator('[data-testid="call-row"] td[data-label="From → to"]').allTextContents();
    assert.ok(numbers.every((n) => n.includes(kLeadNumber)), JSON.stringify(numbers));
    await screenshot('lead-detail');
    // Each call links to its detail.
    await page.getByTestId('call-link').first().click();
    await page.getByTestId('call-transcript').waitFor();
  });

  test('Agents: an agent page shows its numbers, campaigns, calls and figures; its campaign shows progress', async () => {
    await page.getByTestId('nav-agents').click();
    await page.getByTestId('agents-row').nth(1).waitFor();
    await screenshot('agents');
    await page.getByRole('link', { name: 'Sales Agent' }).click();
    await page.getByTestId('agent-name').filter({ hasText: 'Sales Agent' }).waitFor();
    assert.equal((await page.getByTestId('call-stats-calls').textContent()).trim(), '3');
    assert.equal(await page.getByTestId('call-row').count(), 3);
    await page.getByTestId('agent-campaigns').getByRole('link', { name: 'spring.csv' }).waitFor();
    await screenshot('agent-detail');
    await page.getByTestId('agent-campaigns').getByRole('link', { name: 'spring.csv' }).click();
    await page.getByTestId('campaign-name').filter({ hasText: 'spring.csv' }).waitFor();
    assert.equal((await page.getByTestId('campaign-calls').textContent()).trim(), '2');
    assert.equal(await page.getByTestId('campaign-progress-bar').getAttribute('value'), '0.5');
    await screenshot('campaign-detail');
    await page.getByTestId('nav-campaigns').click();
    await page.getByTestId('campaigns-row').first().waitFor();
    await page.getByTestId('nav-numbers').click();
    await page.getByRole('heading', { name: 'Phone numbers' }).waitFor();
    await screenshot('numbers');
  });

  test('Charts: calls per day render with data, with the figures as a table', async () => {
    await page.getByTestId('nav-charts').click();
    const calls = page.getByTestId('chart-calls');
    await calls.waitFor();
    assert.equal(await calls.getAttribute('data-total'), '5');
    await calls.locator('canvas').waitFor();
    // Chart.js drew something: the canvas is not blank.
    const drawn = await calls.locator('canvas').evaluate((c) => {
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
      return false;
    });
    assert.ok(drawn, 'the calls chart is blank');
    await calls.locator('summary').click();
    const totals = await page.getByTestId('chart-calls-table').locator('tbody td:last-child').allTextContents();
    assert.equal(totals.reduce((n, t) => n + Number(t), 0), 5);
    await page.getByTestId('chart-agents').locator('canvas').waitFor();
    assert.equal(await page.getByTestId('chart-agents').getAttribute('data-total'), '5');
    assert.equal(await page.getByTestId('chart-leads').getAttribute('data-total'), '2');
    await screenshot('charts');
  });

  // After the tests that count the seeded calls: this one adds a sixth.
  test('Calls: a call a webhook brings in appears live, without a reload', async () => {
    await page.goto(`${stack.baseUrl}/#/calls`);
    await page.getByTestId('call-row').nth(4).waitFor();
    // Settings' "send calls here": every agent of the account gets the tenant's call-webhook URL.
    const pointed = await stack.api('POST', '/api/tenant/call-webhook/agents', { token: user.token, body: { enabled: true } });
    assert.equal(pointed.status, 200, pointed.text);
    const sales = pointed.json.agents.find((a) => a.agent_id === 'ag-sales');
    assert.ok(['set', 'already_set'].includes(sales?.outcome), pointed.text);
    // A mark on the window: a reload of the document would wipe it.
    await page.evaluate(() => { window.__callsNotReloaded = true; });
    const url = page.url();
    const id = `ex-live-${process.pid}-${Date.now()}`;
    const started = Date.now();
    await stack.sim.post(`/_sim/bolna/accounts/${kAccount}/agents/ag-sales/calls`,
      { id, in_progress_after_ms: 100, completed_after_ms: 400, conversation_duration: 33 });
    const row = page.locator(`[data-testid="call-row"][data-upstream-id="${id}"][data-status="completed"]`);
    await row.waitFor({ timeout: 10_000 });
    const waited = Date.now() - started;
    assert.equal(await page.evaluate(() => window.__callsNotReloaded), true, 'the page was reloaded');
    assert.equal(page.url(), url);
    assert.equal((await row.locator('td[data-label="Duration"]').textContent()).trim(), '33 s');
    assert.equal((await row.locator('td[data-label="Agent"]').textContent()).trim(), 'Sales Agent');
    // Newest first: the new call heads the log, above the five seeded ones.
    assert.equal(await page.getByTestId('call-row').first().getAttribute('data-upstream-id'), id);
    assert.equal(await page.getByTestId('call-row').count(), 6);
    assert.ok(waited < 10_000, `shown after ${waited} ms`);
  });

  test('no Content-Security-Policy violations', () => {
    assert.deepEqual(cspViolations, []);
  });
});
