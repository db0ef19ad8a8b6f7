// CRM sync against the real binaries: connect HubSpot with a token and leads appear; Refresh
// CRM reads only changes; phones are E.164 and contacts never become two leads; the cron
// endpoint's secret; a refused token marks only its connection needs_reauth.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startStack, signup } from './lib/harness.mjs';

const CRON_SECRET = 'cron-secret-for-tests-0123456789';
let stack;
before(async () => {
  stack = await startStack({
    env: {
      CRON_SECRET, TENANTSYNC_UPSTREAM_TIMEOUT: '2s', TENANTSYNC_UPSTREAM_ATTEMPTS: '2',
      TENANTSYNC_VOICE_SCHEDULE: 'off', TENANTSYNC_CRM_SCHEDULE: 'off',
      TENANTSYNC_HUBSPOT_CLIENT_ID: 'demo-client', TENANTSYNC_HUBSPOT_CLIENT_SECRET: 'demo-secret',
      TENANTSYNC_SALESFORCE_CLIENT_ID: 'demo-client', TENANTSYNC_SALESFORCE_CLIENT_SECRET: 'demo-secret',
    },
  });
});
after(async () => { await stack?.stop(); });

let portalCounter = 0;
async function makePortal(contacts) {
  const portal = 5_000_000 + process.pid % 1000 * 100 + portalCounter++;
  const token = `pat-test-${portal}`;
  await stack.sim.post('/_sim/hubspot/portals', { portal_id: portal, tokens: [token], search_per_second: 0 });
  await stack.sim.post(`/_sim/hubspot/portals/${portal}/owners`, { id: '11', email: 'rep@sales.example', firstName: 'Rita', lastName: 'Rep' });
  if (contacts?.length) await stack.sim.post(`/_sim/hubspot/portals/${portal}/contacts`, contacts);
  return { portal, token, path: `/_sim/hubspot/portals/${portal}` };
}

const leads = async (t, q = '') =>
  (await stack.api('GET', `/api/leads?limit=500${q ? `&q=${encodeURIComponent(q)}` : ''}`, { token: t.token })).json.items;

/** Waits until run `id` of tenant `t` has ended. */
async function waitRun(t, id, ms = 20000) {
  return waitFor(async () => {
    const run = (await stack.api('GET', `/api/sync/runs/${id}`, { token: t.token })).json;
    return ['succeeded', 'failed', 'held', 'cancelled'].includes(run.state) ? run : null;
  }, ms);
}

async function waitFor(check, ms = 5000) {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value || Date.now() > until) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('connecting HubSpot with a token brings its contacts in as leads within 3 seconds', async () => {
  const p = await makePortal([
    { properties: { firstname: 'Ada', lastname: 'Lovelace', email: ' Ada@Example.COM ', phone: '(415) 555-2671', hubspot_owner_id: '11', lifecyclestage: 'lead', hs_lead_status: 'OPEN' } },
    { properties: { firstname: 'Alan', lastname: 'Turing', mobilephone: '+44 20 7946 0958', email: 'alan@example.com' } },
    { properties: { firstname: 'Nobody', phone: 'call me maybe' } },
  ]);
  const t = await signup(stack, 'Crm');
  const started = Date.now();
  const res = await stack.api('POST', '/api/crm/connect', { token: t.token, body: { provider: 'hubspot', access_token: p.token } });
  assert.equal(res.status, 202, res.text);
  assert.equal(res.json.connection.account_id, String(p.portal));
  const items = await waitFor(async () => { const l = await leads(t); return l.length === 3 ? l : null; }, 3000);
  assert.ok(items, `3 leads within 3 s (took ${Date.now() - started} ms)`);
  const ada = items.find((l) => l.name === 'Ada Lovelace');
  assert.equal(ada.phone_e164, '+14155552671');
  assert.equal(ada.email, 'ada@example.com', 'e-mails are stored and shown lower-cased and trimmed');
  assert.equal(ada.crm_owner, 'Rita Rep');
  assert.equal(ada.crm_owner_email, 'rep@sales.example');
  assert.equal(ada.crm_stage, 'lead');
  assert.equal(ada.crm_status, 'OPEN');
  assert.equal(ada.source, 'crm');
  assert.equal(items.find((l) => l.name === 'Alan Turing').phone_e164, '+442079460958');
  const nobody = items.find((l) => l.name === 'Nobody');
  assert.equal(nobody.phone_valid, false);
  assert.equal(nobody.phone_raw, 'call me maybe');
  assert.equal((await leads(t, '555-2671')).length, 1);

  const status = (await stack.api('GET', '/api/crm/status', { token: t.token })).json.connections;
  assert.equal(status.length, 1);
  assert.equal(status[0].state, 'connected');
  assert.equal(status[0].last_sync.created, 3);

  // Reconnecting the same portal updates the connection, no duplicate.
  const again = await stack.api('POST', '/api/crm/connect', { token: t.token, body: { provider: 'hubspot', access_token: p.token } });
  assert.equal(again.status, 202, again.text);
  assert.equal(again.json.connection.id, res.json.connection.id);
  assert.equal((await stack.api('GET', '/api/crm/status', { token: t.token })).json.connections.length, 1);
});

test('a first sync reads from both ends at once: the list up, search down from the top; every contact once', async () => {
  const p = await makePortal([]);
  await stack.sim.post(`${p.path}/contacts/generate`, { contacts: 2500, owners: 2, days: 30, seed: 11 });
  // Search at HubSpot's own limit, so the top reader is paced as it would be there.
  await stack.sim.patch(p.path, { search_per_second: 5 });
  await stack.sim.del('/_sim/requests');
  const t = await signup(stack, 'CrmBothEnds');
  const res = await stack.api('POST', '/api/crm/connect', { token: t.token, body: { provider: 'hubspot', access_token: p.token } });
  assert.equal(res.status, 202, res.text);
  const run = await waitRun(t, res.json.run_id, 60000);
  assert.equal(run.state, 'succeeded', JSON.stringify(run.error));
  assert.equal(run.counts.leads.created, 2500, JSON.stringify(run.counts));
  assert.equal(run.counts.leads.contacts, 2500, 'each contact handed over once, the overlap dropped');

  const all = [];
  for (let after = ''; ;) {
    const page = (await stack.api('GET', `/api/leads?limit=500${after ? `&cursor=${after}` : ''}`, { token: t.token })).json;
    all.push(...page.items);
    if (!page.next) break;
    after = page.next;
  }
  const ids = new Set(all.map((l) => l.crm_id));
  assert.equal(all.length, 2500);
  assert.equal(ids.size, 2500, 'no contact became two leads');

  const { requests } = await stack.sim.get('/_sim/requests?path_prefix=/crm/v3/objects/contacts');
  const lists = requests.filter((r) => r.method === 'GET' && r.query.archived === 'false');
  const searches = requests.filter((r) => r.path === '/crm/v3/objects/contacts/search');
  assert.ok(searches.length >= 1, 'search read from the top');
  // (Search's pace is RateGateTest's and crm-budget's to check: on a loaded machine a late arrival
  // can meet the simulator's limit, and the retry then reads the same page.)
  for (const r of searches) {
    const body = JSON.parse(r.body);
    assert.deepEqual(body.sorts, [{ propertyName: 'hs_object_id', direction: 'DESCENDING' }]);
    assert.equal(body.after, undefined, 'each query starts below the lowest id read, never pages on');
  }
  assert.ok(lists.length < 25, `the list stopped where the readers met (${lists.length} of 25 pages)`);
});

/** Runs one SQL statement on the stack's database (SQLite or PostgreSQL). */
function sql(statement) {
  const url = stack.databaseUrl;
  return (url.startsWith('sqlite:')
    ? execFileSync('sqlite3', ['-cmd', '.timeout 10000', url.slice('sqlite:'.length), statement])
    : execFileSync('psql', [url, '-XAtq', '-c', statement])).toString().trim();
}

test('a sync of changes where most contacts changed reads them all from both ends instead of searching each', async () => {
  const p = await makePortal([]);
  // 6,000 contacts, every one last modified within the last day.
  await stack.sim.post(`${p.path}/contacts/generate`, { contacts: 6000, owners: 2, days: 1, seed: 12 });
  const t = await signup(stack, 'CrmManyChanges');
  const res = await stack.api('POST', '/api/crm/connect', { token: t.token, body: { provider: 'hubspot', access_token: p.token } });
  assert.equal(res.status, 202, res.text);
  const first = await waitRun(t, res.json.run_id, 120000);
  assert.equal(first.state, 'succeeded', JSON.stringify(first.error));
  assert.equal(first.counts.leads.created, 6000);

  // The last sync two days ago: every contact changed since (6,000 ≥ 5,000, and all of them).
  const twoDaysAgo = Date.now() - 2 * 86400000;
  sql(`UPDATE crm_connections SET cursor = '{"phase":"incremental","modified_after_ms":${twoDaysAgo}}' ` +
      `WHERE tenant_id = ${t.tenant_id}`);
  await stack.sim.del('/_sim/requests');
  const started = Date.now();
  const again = await stack.api('POST', '/api/crm/sync', { token: t.token });
  assert.equal(again.status, 200, again.text);
  // (A slow machine may answer before the run ends: then wait for it.)
  const run = await waitRun(t, again.json.results[0].run_id, 120000);
  assert.equal(run.state, 'succeeded', JSON.stringify(run.error));
  assert.equal(run.counts.leads.created, 0, 'nothing new: every contact is already a lead');
  assert.equal(run.counts.leads.unchanged, 6000, JSON.stringify(run.counts));

  const { requests } = await stack.sim.get('/_sim/requests?path_prefix=/crm/v3/objects/contacts');
  const lists = requests.filter((r) => r.method === 'GET' && r.query.archived === 'false');
  const searches = requests.filter((r) => r.path === '/crm/v3/objects/contacts/search').map((r) => JSON.parse(r.body));
  const byChange = searches.filter((b) => b.sorts?.[0]?.propertyName === 'lastmodifieddate');
  const fromTop = searches.filter((b) => b.sorts?.[0]?.propertyName === 'hs_object_id');
  assert.equal(byChange.length, 1, 'one search for the changes, whose total decided');
  assert.ok(lists.length >= 1, 'the list API read up from the start');
  assert.ok(fromTop.length >= 1, 'search read down from the top');
  assert.ok(lists.length < 60, `the list stopped where the readers met (${lists.length} of 60 pages)`);
  const ids = new Set();
  for (let after = ''; ;) {
    const page = (await stack.api('GET', `/api/leads?limit=500${after ? `&cursor=${after}` : ''}`, { token: t.token })).json;
    for (const l of page.items) ids.add(l.crm_id);
    if (!page.next) break;
    after = page.next;
  }
  assert.equal(ids.size, 6000, 'still one lead per contact');
  // The next sync reads the changes made since this one started (less the 5-minute overlap).
  const cursor = JSON.parse(sql(`SELECT cursor FROM crm_connections WHERE provider_account_id = '${p.portal}'`));
  assert.equal(cursor.phase, 'incremental');
  assert.ok(cursor.modified_after_ms >= started - 5 * 60000 - 1000, JSON.stringify(cursor));
});

test('Refresh CRM reads changes only; a manual lead is linked, never duplicated; archived contacts mark leads', async () => {
  const p = await makePortal([{ properties: { firstname: 'Grace', lastname: 'Hopper', phone: '+1 202 555 0100' } }]);
  const t = await signup(stack, 'Crm2');
  const manual = await stack.api('POST', '/api/leads', { token: t.token, body: { name: 'Dr. Hopper', phone: '(202) 555-0100' } });
  assert.equal(manual.status, 201, manual.text);
  assert.equal(manual.json.phone_e164, '+12025550100');
  const conn = await stack.api('POST', '/api/crm/connect', { token: t.token, body: { provider: 'hubspot', access_token: p.token } });
  assert.equal(conn.status, 202, conn.text);
  const first = await stack.api('POST', '/api/crm/sync', { token: t.token });
  assert.equal(first.status, 200, first.text);
  let all = await leads(t);
  assert.equal(all.length, 1, JSON.stringify(all));
  assert.equal(all[0].id, manual.json.id);
  assert.equal(all[0].source, 'manual');
  assert.equal(all[0].match_reason, 'phone');

  const contacts = (await stack.sim.get(`${p.path}/contacts`));
  const list = Array.isArray(contacts) ? contacts : contacts.results ?? contacts.contacts ?? contacts.items;
  await stack.sim.post(`${p.path}/contacts`, { properties: { firstname: 'Katherine', lastname: 'Johnson', email: 'kj@nasa.example' } });
  await stack.sim.patch(`${p.path}/contacts/${list[0].id}`, { properties: { hs_lead_status: 'CONNECTED' } });
  await stack.sim.del('/_sim/requests');
  const refresh = await stack.api('POST', '/api/crm/sync', { token: t.token });
  assert.equal(refresh.status, 200, refresh.text);
  assert.equal(refresh.json.success, true, refresh.text);
  assert.equal(refresh.json.results[0].created, 1);
  assert.ok(refresh.json.results[0].updated >= 1);
  const reqs = (await stack.sim.get('/_sim/requests?path_prefix=/crm/v3/objects/contacts')).requests;
  assert.ok(reqs.some((r) => r.path.endsWith('/search')), 'a later sync searches for changes');
  assert.ok(!reqs.some((r) => r.method === 'GET' && r.query.archived !== 'true'), 'and does not list everything again');
  all = await leads(t);
  assert.equal(all.length, 2);
  assert.equal(all.find((l) => l.id === manual.json.id).crm_status, 'CONNECTED');

  await stack.sim.del(`${p.path}/contacts/${list[0].id}`);
  await stack.api('POST', '/api/crm/sync', { token: t.token });
  const archived = (await leads(t)).find((l) => l.id === manual.json.id);
  assert.ok(archived.crm_archived_at, 'an archived contact marks its lead');
});

test('the cron endpoint needs the secret and syncs every tenant\'s connections', async () => {
  const none = await stack.api('GET', '/api/cron/sync-crm');
  assert.equal(none.status, 401);
  const wrong = await stack.api('GET', '/api/cron/sync-crm', { headers: { authorization: 'Bearer nope' } });
  assert.equal(wrong.status, 401);
  const p = await makePortal([{ properties: { firstname: 'Cron', email: 'cron@example.com' } }]);
  const t = await signup(stack, 'Crm3');
  await stack.api('POST', '/api/crm/connect', { token: t.token, body: { provider: 'hubspot', access_token: p.token } });
  const ok = await stack.api('GET', '/api/cron/sync-crm', { headers: { authorization: `Bearer ${CRON_SECRET}` } });
  assert.equal(ok.status, 200, ok.text);
  assert.ok(ok.json.results.some((r) => r.tenant_id === t.tenant_id && r.state === 'succeeded'), ok.text);
});

test('a revoked token marks only its connection needs_reauth; the other goes on', async () => {
  const good = await makePortal([{ properties: { firstname: 'Good', email: 'good@example.com' } }]);
  const bad = await makePortal([{ properties: { firstname: 'Bad', email: 'bad@example.com' } }]);
  const t = await signup(stack, 'Crm4');
  for (const p of [good, bad]) {
    const r = await stack.api('POST', '/api/crm/connect', { token: t.token, body: { provider: 'hubspot', access_token: p.token } });
    assert.equal(r.status, 202, r.text);
  }
  // Let both first syncs end (a Refresh joins them), so the change below needs a new run.
  assert.equal((await stack.api('POST', '/api/crm/sync', { token: t.token })).json.success, true);
  await stack.sim.del(`${bad.path}/tokens/${bad.token}`);
  await stack.sim.post(`${good.path}/contacts`, { properties: { firstname: 'Another', email: 'another@example.com' } });
  const res = await stack.api('POST', '/api/crm/sync', { token: t.token });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.success, false);
  const status = (await stack.api('GET', '/api/crm/status', { token: t.token })).json.connections;
  const byAccount = Object.fromEntries(status.map((c) => [c.account_id, c]));
  assert.equal(byAccount[String(bad.portal)].state, 'needs_reauth');
  assert.match(byAccount[String(bad.portal)].state_message, /Reconnect your CRM/);
  assert.equal(byAccount[String(good.portal)].state, 'connected');
  assert.ok((await leads(t)).some((l) => l.name === 'Another'));
});

test('a rejected token answers 422 credentials_rejected and saves nothing', async () => {
  const t = await signup(stack, 'Crm5');
  const res = await stack.api('POST', '/api/crm/connect', { token: t.token, body: { provider: 'hubspot', access_token: 'pat-nobody' } });
  assert.equal(res.status, 422, res.text);
  assert.equal(res.json.error, 'credentials_rejected');
  assert.equal((await stack.api('GET', '/api/crm/status', { token: t.token })).json.connections.length, 0);
});

test('a HubSpot refresh token connection refreshes and syncs', async () => {
  const t = await signup(stack, 'Crm6');
  const res = await stack.api('POST', '/api/crm/connect', { token: t.token, body: { provider: 'hubspot', refresh_token: 'hs-demo-refresh-1' } });
  assert.equal(res.status, 202, res.text);
  assert.equal(res.json.connection.account_id, '4000001');
  const items = await waitFor(async () => { const l = await leads(t); return l.length >= 20 ? l : null; }, 5000);
  assert.ok(items, 'the demo portal\'s contacts arrive');
});

test('Salesforce by refresh token: Leads and Contacts with their owners become leads', async () => {
  const t = await signup(stack, 'Sf');
  const res = await stack.api('POST', '/api/crm/connect', { token: t.token, body: { provider: 'salesforce', refresh_token: 'sf-demo-refresh-1' } });
  assert.equal(res.status, 202, res.text);
  assert.equal(res.json.connection.account_id, '00D5g000004DEMOEA4');
  const items = await waitFor(async () => { const l = await leads(t); return l.length >= 15 ? l : null; }, 5000);
  assert.ok(items, 'the demo org\'s Leads and Contacts arrive');
  assert.equal((await waitRun(t, res.json.run_id)).state, 'succeeded');
  assert.ok(items.every((l) => l.crm_provider === 'salesforce'));
  assert.ok(items.some((l) => l.crm_owner), 'owners come inline (Owner.Name)');
  assert.ok(items.some((l) => l.crm_stage === 'lead') && items.some((l) => l.crm_stage === 'contact'));
  const again = await stack.api('POST', '/api/crm/sync', { token: t.token });
  assert.equal(again.status, 200, again.text);
  assert.equal(again.json.results[0].created, 0, again.text);
});

test('Nango connections: credentials fetched from Nango; an exhausted refresh marks needs_reauth', async () => {
  const t = await signup(stack, 'Nango');
  // A connect session for the tenant; the person finishes Connect UI (the simulator's control API
  // plays that part) and the dashboard connects the connection it made.
  const session = await stack.api('POST', '/api/crm/connect-session', { token: t.token, body: { provider: 'hubspot' } });
  assert.equal(session.status, 201, session.text);
  const made = await stack.sim.post(`/_sim/nango/connect_sessions/${session.json.token}/connections`, { portal_id: 4000001 });
  const res = await stack.api('POST', '/api/crm/connect', {
    token: t.token, body: { provider: 'hubspot', nango_connection_id: made.connection_id, provider_config_key: 'hubspot' } });
  assert.equal(res.status, 202, res.text);
  assert.equal(res.json.connection.account_id, '4000001');
  assert.ok(await waitFor(async () => (await leads(t)).length >= 20, 5000));
  assert.equal((await waitRun(t, res.json.run_id)).state, 'succeeded');
  await stack.sim.patch(`/_sim/nango/connections/${made.connection_id}`, { refresh_exhausted: true });
  const sync = await stack.api('POST', '/api/crm/sync', { token: t.token });
  assert.equal(sync.status, 200, sync.text);
  assert.equal(sync.json.success, false);
  const status = (await stack.api('GET', '/api/crm/status', { token: t.token })).json.connections[0];
  assert.equal(status.state, 'needs_reauth');
  assert.match(status.state_message, /Reconnect your CRM/);
  await stack.sim.patch(`/_sim/nango/connections/${made.connection_id}`, { refresh_exhausted: false });
});

// A killed CRM sync resuming from its saved cursor is tested, killed ten times over, in
// crash-loop.test.mjs (crash/crm_scenarios.mjs).

test('CRM fault matrix: every HubSpot endpoint × every failure fails the run and loses or corrupts no lead', async () => {
  const p = await makePortal([]);
  await stack.sim.post(`${p.path}/contacts/generate`, { contacts: 40, owners: 2, days: 10, seed: 9 });
  const t = await signup(stack, 'CrmFaults');
  const conn = await stack.api('POST', '/api/crm/connect', { token: t.token, body: { provider: 'hubspot', access_token: p.token } });
  assert.equal(conn.status, 202, conn.text);
  assert.equal((await stack.api('POST', '/api/crm/sync', { token: t.token })).json.success, true);
  const snapshot = async () => (await leads(t)).map(({ updated_at, ...rest }) => rest).sort((a, b) => a.id - b.id);
  const before = await snapshot();
  assert.equal(before.length, 40);
  const endpoints = [
    ['owners', 'GET', '/crm/v3/owners'],
    ['search', 'POST', '/crm/v3/objects/contacts/search'],
    ['archived list', 'GET', '/crm/v3/objects/contacts'],
  ];
  const faults = [
    ['401', { status: 401, body: { status: 'error', message: 'Authentication credentials not found.', category: 'INVALID_AUTHENTICATION' } }],
    ['403', { status: 403, body: { status: 'error', message: 'Missing scopes', category: 'MISSING_SCOPES' } }],
    ['404', { status: 404, body: { status: 'error', message: 'Not found', category: 'OBJECT_NOT_FOUND' } }],
    ['429 forever', { status: 429, body: { status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' } }],
    ['500 forever', { status: 500 }],
    ['timeout', { latency_ms: 3000 }],
    ['malformed JSON', { malformed: true }],
    ['truncated body', { truncate: true }],
  ];
  for (const [what, method, path] of endpoints) {
    for (const [name, fault] of faults) {
      await stack.sim.del('/_sim/faults');
      await stack.sim.post('/_sim/faults', { method, path_pattern: path, ...fault });
      // A change waits upstream, so a run that went ahead would write something.
      await stack.sim.post(`${p.path}/contacts`, { properties: { firstname: `Pending ${what} ${name}`, email: `p-${Math.random()}@x.example` } });
      const res = await stack.api('POST', '/api/crm/sync', { token: t.token });
      const label = `${what} ${name}`;
      assert.equal(res.status, 200, `${label}: ${res.text}`);
      assert.equal(res.json.success, false, `${label}: ${res.text}`);
      assert.ok(res.json.results[0].error, label);
      const after = (await snapshot()).filter((l) => !l.name.startsWith('Pending'));
      assert.deepEqual(after, before, `${label} lost or changed a lead`);
    }
  }
  await stack.sim.del('/_sim/faults');
  // Reconnecting after the 401 (needs_reauth) and syncing brings every pending contact in.
  await stack.api('POST', '/api/crm/connect', { token: t.token, body: { provider: 'hubspot', access_token: p.token } });
  const ok = await stack.api('POST', '/api/crm/sync', { token: t.token });
  assert.equal(ok.json.success, true, ok.text);
  assert.equal((await leads(t)).length, 40 + endpoints.length * faults.length);
});
