// Issue 9, finding 1 (and the CRM-token part of 6): a Nango connection belongs to the tenant whose
// connect session created it. Tenant B naming tenant A's connection id gets exactly the answer a
// made-up id gets, and nothing of A's CRM; a token with CR/LF or spaces is refused before anything
// is stored or sent. The simulator plays Nango (connect sessions, tags) and HubSpot.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { signup, startStack } from '../lib/harness.mjs';

const kDemoPortal = 4000001; // the simulator's demo HubSpot portal: 25 contacts

describe('hostile tenant: Nango connections are bound to their tenant', () => {
  let stack;
  let a;
  let b;
  let aConnection; // the Nango connection A made through its connect session

  before(async () => {
    stack = await startStack({ env: { TENANTSYNC_VOICE_SCHEDULE: 'off', TENANTSYNC_CRM_SCHEDULE: 'off' } });
    a = await signup(stack, 'Alpha');
    b = await signup(stack, 'Bravo');
  });
  after(async () => { await stack?.stop(); });

  const leads = async (t) => (await stack.api('GET', '/api/leads?limit=500', { token: t.token })).json.items;
  const connections = async (t) => (await stack.api('GET', '/api/crm/status', { token: t.token })).json.connections;

  async function waitFor(check, ms = 10_000) {
    const until = Date.now() + ms;
    for (;;) {
      const value = await check();
      if (value || Date.now() > until) return value;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function waitRun(t, id) {
    return waitFor(async () => {
      const run = (await stack.api('GET', `/api/sync/runs/${id}`, { token: t.token })).json;
      return ['succeeded', 'failed', 'held', 'cancelled'].includes(run.state) ? run : null;
    }, 20_000);
  }

  // The tenant asks for a connect session, and the person finishes Connect UI with the demo
  // portal (the simulator's control API stands in for the browser).
  async function connectThroughSession(t, portal = kDemoPortal) {
    const session = await stack.api('POST', '/api/crm/connect-session', { token: t.token, body: { provider: 'hubspot' } });
    assert.equal(session.status, 201, session.text);
    const made = await stack.sim.post(`/_sim/nango/connect_sessions/${session.json.token}/connections`,
      { portal_id: portal });
    return { session: session.json, connection: made };
  }

  const connect = (t, body) => stack.api('POST', '/api/crm/connect', { token: t.token, body: { provider: 'hubspot', ...body } });

  test('a connect session names the tenant at Nango and answers what Connect UI needs', async () => {
    const before = Date.now();
    const res = await stack.api('POST', '/api/crm/connect-session', { token: a.token, body: { provider: 'hubspot' } });
    assert.equal(res.status, 201, res.text);
    assert.match(res.json.token, /^nango_connect_session_[0-9a-f]{64}$/);
    assert.equal(res.json.connect_url, `${stack.simUrl}/connect-ui/?session_token=${res.json.token}`);
    assert.equal(res.json.api_url, stack.simUrl);
    assert.equal(res.json.provider_config_key, 'hubspot');
    const ttl = Date.parse(res.json.expires_at) - before;
    assert.ok(ttl > 29 * 60_000 && ttl <= 31 * 60_000, `a session lives 30 minutes: ${res.json.expires_at}`);
    const atNango = await stack.sim.get(`/_sim/nango/connect_sessions/${res.json.token}`);
    const tenant = String(a.tenant_id);
    assert.deepEqual(atNango.tags, { end_user_id: tenant, organization_id: tenant });
    assert.equal(atNango.end_user.id, tenant);
    assert.deepEqual(atNango.allowed_integrations, ['hubspot']);

    for (const body of [{}, { provider: 'pipedrive' }, { provider: 'hubspot', provider_config_key: 'hub spot' }]) {
      const bad = await stack.api('POST', '/api/crm/connect-session', { token: a.token, body });
      assert.equal(bad.status, 422, `${JSON.stringify(body)}: ${bad.text}`);
      assert.equal(bad.json.error, 'validation_failed');
    }
    assert.equal((await stack.api('POST', '/api/crm/connect-session', { body: { provider: 'hubspot' } })).status, 401);
  });

  test('tenant A connects HubSpot through its connect session', async () => {
    const { connection } = await connectThroughSession(a);
    aConnection = connection;
    assert.equal(connection.tags.end_user_id, String(a.tenant_id));
    const res = await connect(a, { nango_connection_id: connection.connection_id, provider_config_key: 'hubspot' });
    assert.equal(res.status, 202, res.text);
    assert.equal(res.json.connection.account_id, String(kDemoPortal));
    assert.equal(res.json.connection.auth_kind, 'nango');
    assert.equal((await waitRun(a, res.json.run_id))?.state, 'succeeded');
    assert.ok((await leads(a)).length >= 20, 'the demo portal\'s contacts are A\'s leads');
  });

  test('tenant B naming A\'s connection gets exactly the 404 of a made-up id, and nothing of A\'s', async () => {
    assert.ok(aConnection, 'A connected first');
    const madeUp = await connect(b, { nango_connection_id: 'no-such-connection-0000', provider_config_key: 'hubspot' });
    assert.equal(madeUp.status, 404, madeUp.text);
    assert.deepEqual(madeUp.json, { error: 'not_found', message: 'No such Nango connection.' });

    const attempts = [
      { nango_connection_id: aConnection.connection_id, provider_config_key: 'hubspot' },
      { nango_connection_id: aConnection.connection_id }, // the default key
      { nango_connection_id: aConnection.connection_id, provider_config_key: 'salesforce' },
      // The simulator's demo connections were made without a connect session: nobody's.
      { nango_connection_id: 'demo-hubspot', provider_config_key: 'hubspot' },
    ];
    for (const body of attempts) {
      const res = await connect(b, body);
      assert.equal(res.status, madeUp.status, `${JSON.stringify(body)}: ${res.text}`);
      assert.equal(res.text, madeUp.text, `${JSON.stringify(body)}: the same body, byte for byte`);
    }
    // Salesforce as the provider, with A's HubSpot connection: the same answer again.
    const asSalesforce = await stack.api('POST', '/api/crm/connect', { token: b.token,
      body: { provider: 'salesforce', nango_connection_id: aConnection.connection_id, provider_config_key: 'hubspot' } });
    assert.equal(asSalesforce.text, madeUp.text);

    assert.deepEqual(await connections(b), [], 'nothing was stored for B');
    assert.deepEqual(await leads(b), [], 'B has none of A\'s contacts');
    const sync = await stack.api('POST', '/api/crm/sync', { token: b.token });
    assert.equal(sync.status, 200, sync.text);
    assert.deepEqual(sync.json.results, []);
    assert.deepEqual(await leads(b), []);
  });

  test('A\'s connection keeps working', async () => {
    const sync = await stack.api('POST', '/api/crm/sync', { token: a.token });
    assert.equal(sync.status, 200, sync.text);
    assert.equal(sync.json.success, true, sync.text);
    assert.equal(sync.json.results.length, 1);
    assert.equal((await connections(a))[0].state, 'connected');
  });

  test('a connect session for B makes a connection bound to B, which A cannot take', async () => {
    const { connection } = await connectThroughSession(b);
    assert.equal(connection.tags.end_user_id, String(b.tenant_id));
    assert.equal(connection.end_user.id, String(b.tenant_id));
    assert.notEqual(connection.connection_id, aConnection.connection_id);
    const res = await connect(b, { nango_connection_id: connection.connection_id, provider_config_key: 'hubspot' });
    assert.equal(res.status, 202, res.text);
    assert.equal((await waitRun(b, res.json.run_id))?.state, 'succeeded');
    assert.ok((await leads(b)).length >= 20);

    const stolen = await connect(a, { nango_connection_id: connection.connection_id, provider_config_key: 'hubspot' });
    assert.equal(stolen.status, 404, stolen.text);
    assert.deepEqual(stolen.json, { error: 'not_found', message: 'No such Nango connection.' });
  });

  test('a connection whose tags are changed at Nango to another tenant stops syncing', async () => {
    const other = await signup(stack, 'Charlie');
    const { connection } = await connectThroughSession(other);
    const res = await connect(other, { nango_connection_id: connection.connection_id });
    assert.equal(res.status, 202, res.text);
    await waitRun(other, res.json.run_id);
    await stack.sim.patch(`/_sim/nango/connections/${connection.connection_id}`,
      { tags: { end_user_id: String(a.tenant_id) } });
    const sync = await stack.api('POST', '/api/crm/sync', { token: other.token });
    assert.equal(sync.json.success, false, sync.text);
    const status = (await connections(other))[0];
    assert.equal(status.state, 'needs_reauth');
    assert.match(status.state_message, /^Reconnect your CRM/);
    assert.match(status.last_sync.error, /not bound to this account/);
    assert.deepEqual(await leads(other).then((l) => l.length >= 20), true, 'its earlier leads stay');
  });

  test('a token or Nango id with CR/LF, control characters or spaces is 422 naming the field; nothing is stored or sent', async () => {
    const t = await signup(stack, 'Delta');
    await stack.sim.del('/_sim/requests');
    const cases = [
      [{ access_token: 'pat-demo-hubspot-1\r\nX-Injected: 1' }, 'access_token'],
      [{ access_token: 'pat-demo-hubspot-1\n' }, 'access_token'],
      [{ access_token: 'pat demo' }, 'access_token'],
      [{ access_token: 'pat-demo\u0000' }, 'access_token'],
      [{ refresh_token: 'hs-demo-refresh-1\r\nHost: evil' }, 'refresh_token'],
      [{ access_token: 'pat-demo-hubspot-1', refresh_token: 'x\ty' }, 'refresh_token'],
      [{ nango_connection_id: `${aConnection.connection_id}\r\n` }, 'nango_connection_id'],
      [{ nango_connection_id: 'a b' }, 'nango_connection_id'],
      [{ nango_connection_id: 'conn-1', provider_config_key: 'hubspot\r\nX: 1' }, 'provider_config_key'],
    ];
    for (const [body, field] of cases) {
      const res = await connect(t, body);
      assert.equal(res.status, 422, `${JSON.stringify(body)}: ${res.text}`);
      assert.equal(res.json.error, 'validation_failed');
      assert.ok(res.json.message.includes(`"${field}"`), `names ${field}: ${res.json.message}`);
    }
    assert.deepEqual(await connections(t), [], 'nothing was stored');
    const sent = await stack.sim.get('/_sim/requests');
    assert.deepEqual(sent.requests, [], 'nothing reached the simulated upstreams');
    // The same token without the CR/LF is fine, so it was the characters that were refused.
    const clean = await connect(t, { access_token: 'pat-demo-hubspot-1' });
    assert.equal(clean.status, 202, clean.text);
  });
});
