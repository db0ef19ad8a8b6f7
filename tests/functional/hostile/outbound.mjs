// Outbound requests (issue 9, SSRF, deep JSON, endless upstreams, stored-key exfiltration): a
// tenant points the server at its own choice of upstream. Every address used here is on
// loopback (127.0.0.1); the ranges off this machine are covered by the address rule's unit tests
// (src/upstream/address_rule_test.cpp), which connect nowhere.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createTcpServer } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import { startServer, signup } from '../lib/harness.mjs';

/** A TCP listener on loopback that only counts the connections it is offered. */
async function countingListener() {
  const listener = { connections: 0 };
  const server = createTcpServer((socket) => { listener.connections++; socket.destroy(); });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  listener.port = server.address().port;
  listener.close = () => new Promise((resolve) => server.close(resolve));
  return listener;
}

const nested = (depth) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;

/**
 * A hostile upstream on loopback, playing Bolna and Salesforce. What it answers depends on the
 * key (Bolna) or token (Salesforce) it is called with: "good" answers a small account, "deep" a
 * record nested 100k levels, "endless" pages of new records without end, "loop" the same page.
 */
async function hostileUpstream() {
  let page = 0;
  const server = createHttpServer((req, res) => {
    const key = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const url = new URL(req.url, 'http://upstream');
    const send = (body) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    const mode = key.replace(/^(bn|sf)-/, '');
    if (url.pathname === '/user/me') return send({ id: `acct-${key}`, name: key });
    if (url.pathname === '/v2/agent/all') {
      if (mode === 'deep') return send(`[{"id":"ag-deep","agent_name":"Deep","extra":${nested(100_000)}}]`);
      return send([{ id: `ag-${key}`, agent_name: 'Agent' }]);
    }
    if (url.pathname === '/phone-numbers/all') return send([]);
    if (/^\/batches\/[^/]+\/all$/.test(url.pathname)) return send([]);
    if (/^\/v2\/agent\/[^/]+\/executions$/.test(url.pathname)) {
      const n = Number(url.searchParams.get('page_number'));
      const now = Date.now();
      const records = (prefix) => Array.from({ length: 50 }, (_, i) => ({
        id: `${prefix}-${i}`, status: 'completed', created_at: new Date(now - 60_000).toISOString() }));
      if (mode === 'endless') return send({ has_more: true, data: records(`e-${++page}-${n}`) });
      if (mode === 'loop') return send({ has_more: true, data: records('same') });
      return send({ has_more: false, data: [] });
    }
    if (url.pathname.startsWith('/services/data/')) {
      const q = url.searchParams.get('q') ?? '';
      if (q.includes('FROM Organization')) return send({ done: true, records: [{ Id: '00Dhostile', TimeZoneSidKey: 'UTC' }] });
      const rows = (prefix) => Array.from({ length: 200 }, (_, i) => ({
        attributes: { type: 'Lead' }, Id: `00Q${prefix}${String(i).padStart(6, '0')}`, LastName: `L${i}`, Email: `l${i}@x.test` }));
      if (q.includes('FROM Contact')) return send({ done: true, totalSize: 0, records: [] });
      if (mode === 'deep') return send(`{"done":true,"records":[{"Id":"00Qdeep","LastName":"D","Nested":${nested(100_000)}}]}`);
      if (mode === 'endless') return send({ done: false, nextRecordsUrl: `/services/data/v60.0/query/01g-${++page}`, records: rows(`e${page}x`) });
      if (mode === 'loop') return send({ done: false, nextRecordsUrl: '/services/data/v60.0/query/01g-again', records: rows('same') });
      return send({ done: true, records: rows('good') });
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"message":"no such path"}');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

const put = (server, t, body) => server.api('PUT', '/api/tenant/settings', { token: t.token, body });
const connect = (server, t, body) => server.api('POST', '/api/crm/connect', { token: t.token, body });

async function waitRun(server, t, id, ms = 60_000) {
  for (const until = Date.now() + ms; Date.now() < until;) {
    const run = (await server.api('GET', `/api/sync/runs/${id}`, { token: t.token })).json;
    if (['succeeded', 'failed', 'held', 'cancelled'].includes(run?.state)) return run;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`run ${id} did not end in ${ms} ms`);
}

describe('hostile: outbound requests without TENANTSYNC_ALLOW_PRIVATE_UPSTREAMS', () => {
  let server;
  let listener;
  let loop;
  before(async () => {
    listener = await countingListener();
    loop = `127.0.0.1:${listener.port}`;
    // Even the operator's upstreams point at the listener: whatever the code does, nothing leaves
    // this machine, and the listener sees it if anything gets through.
    const at = `https://${loop}`;
    server = await startServer({
      allowPrivateUpstreams: false,
      env: { TENANTSYNC_BOLNA_URL: at, TENANTSYNC_HUBSPOT_URL: at, TENANTSYNC_SALESFORCE_LOGIN_URL: at,
             TENANTSYNC_NANGO_URL: at, TENANTSYNC_NANGO_SECRET_KEY: 'nango-secret-never-used',
             TENANTSYNC_VOICE_SCHEDULE: 'off', TENANTSYNC_CRM_SCHEDULE: 'off' },
    });
  });
  after(async () => { await server?.stop(); await listener?.close(); });

  const loopbacks = (port) => [
    `https://127.0.0.1:${port}`, `http://127.0.0.1:${port}`, `https://localhost:${port}`,
    `https://2130706433:${port}`, `https://0x7f000001:${port}`, `https://127.1:${port}`,
    `https://[::ffff:127.0.0.1]:${port}`, `https://[::1]:${port}`, `https://api.localhost:${port}`,
  ];

  test('a voice base URL on loopback is refused in every spelling, naming the field', async () => {
    const t = await signup(server, 'Outbound');
    for (const url of loopbacks(listener.port)) {
      const res = await put(server, t, { voice_api_key: 'bn-stolen-key-1', voice_base_url: url });
      assert.equal(res.status, 422, `${url}: ${res.text}`);
      assert.equal(res.json.error, 'forbidden_upstream', `${url}: ${res.text}`);
      assert.match(res.json.message, /voice_base_url/, url);
    }
    for (const url of ['https://169.254.169.254', 'https://10.0.0.1', 'https://[fe80::1]', 'https://100.64.0.1']) {
      const res = await put(server, t, { voice_api_key: 'bn-stolen-key-1', voice_base_url: url });
      assert.equal(res.status, 422, `${url}: ${res.text}`);
      assert.equal(res.json.error, 'forbidden_upstream', url);
    }
    const settings = await server.api('GET', '/api/tenant/settings', { token: t.token });
    assert.equal(settings.json.voice_api_key_set, false, 'nothing was saved');
    assert.equal(settings.json.voice_base_url, '');
  });

  test('query, fragment and user-info tricks are refused', async () => {
    const t = await signup(server, 'Tricks');
    for (const url of [`https://${loop}/?`, `https://${loop}/#`, 'https://voice.example.com/?x=', 'https://voice.example.com#',
                       `https://api.bolna.ai@${loop}`, 'https://voice.example.com/a/../b', 'https://voice.example.com/%2e%2e']) {
      const res = await put(server, t, { voice_api_key: 'bn-stolen-key-1', voice_base_url: url });
      assert.equal(res.status, 422, `${url}: ${res.text}`);
      assert.ok(['validation_failed', 'forbidden_upstream'].includes(res.json.error), `${url}: ${res.text}`);
      assert.match(res.json.message, /voice_base_url/, url);
    }
  });

  test('a Salesforce instance URL must be a Salesforce host, and never loopback', async () => {
    const t = await signup(server, 'Instance');
    for (const url of [...loopbacks(listener.port), 'https://evil.example', 'https://salesforce.com.evil.example',
                       'https://acme.my.salesforce.com/?']) {
      const res = await connect(server, t, { provider: 'salesforce', access_token: 'sf-stolen', instance_url: url });
      assert.equal(res.status, 422, `${url}: ${res.text}`);
      assert.ok(['forbidden_upstream', 'validation_failed'].includes(res.json.error), `${url}: ${res.text}`);
      assert.match(res.json.message, /instance_url/, url);
    }
    const status = await server.api('GET', '/api/crm/status', { token: t.token });
    assert.deepEqual(status.json.connections, []);
  });

  test('the transport refuses a loopback address the rule only sees when connecting', async () => {
    // The operator's default Bolna URL and HubSpot URL are https://127.0.0.1:port here: the
    // request gets as far as the socket, which is refused before it connects.
    const t = await signup(server, 'Transport');
    const key = await put(server, t, { voice_api_key: 'bn-any-key-1' });
    assert.equal(key.status, 422, key.text);
    assert.equal(key.json.error, 'forbidden_upstream', key.text);
    assert.doesNotMatch(key.json.message, /127\.0\.0\.1|curl|refused|timed out/i);
    const hub = await connect(server, t, { provider: 'hubspot', access_token: 'pat-any-token' });
    assert.equal(hub.status, 422, hub.text);
    assert.doesNotMatch(hub.json.message, /127\.0\.0\.1|curl|refused|timed out/i);
  });

  test('the loopback listener never saw a connection, and the server is alive', async () => {
    assert.equal(listener.connections, 0);
    assert.equal((await server.api('GET', '/healthz')).status, 200);
  });
});

describe('hostile: what a tenant-chosen upstream sends back', () => {
  let server;
  let upstream;
  before(async () => {
    upstream = await hostileUpstream();
    server = await startServer({
      env: { TENANTSYNC_BOLNA_URL: upstream.url, TENANTSYNC_SALESFORCE_LOGIN_URL: upstream.url,
             TENANTSYNC_HUBSPOT_URL: upstream.url, TENANTSYNC_VOICE_SCHEDULE: 'off', TENANTSYNC_CRM_SCHEDULE: 'off',
             TENANTSYNC_MAX_RECORDS_PER_RESOURCE: '1000', TENANTSYNC_SYNC_WAIT: '20s' },
    });
  });
  after(async () => { await server?.stop(); await upstream?.close(); });

  const sync = (t) => server.api('POST', '/api/tenant/sync', { token: t.token, body: {} });
  const summary = async (t) => (await server.api('GET', '/api/tenant/summary', { token: t.token })).json.counts;

  test('a base-URL change without the key is 422 naming voice_api_key, and changes nothing', async () => {
    const t = await signup(server, 'Exfil');
    const saved = await put(server, t, { voice_api_key: 'bn-good', voice_base_url: upstream.url });
    assert.equal(saved.status, 200, saved.text);
    const moved = await put(server, t, { voice_base_url: `${upstream.url}/elsewhere` });
    assert.equal(moved.status, 422, moved.text);
    assert.equal(moved.json.error, 'validation_failed');
    assert.match(moved.json.message, /voice_api_key/);
    const after = (await server.api('GET', '/api/tenant/settings', { token: t.token })).json;
    assert.equal(after.voice_base_url, upstream.url);
    // With the key given again, the move is fine.
    const withKey = await put(server, t, { voice_api_key: 'bn-good', voice_base_url: `${upstream.url}/` });
    assert.equal(withKey.status, 200, withKey.text);
    // Even with the flag, the metadata address and the other special ranges stay closed.
    const metadata = await put(server, t, { voice_api_key: 'bn-good', voice_base_url: 'http://169.254.169.254' });
    assert.equal(metadata.status, 422, metadata.text);
    assert.equal(metadata.json.error, 'forbidden_upstream');
  });

  test('deep JSON, endless and looping listings each fail only their own listing, cleanly; other tenants keep their data', async () => {
    const bystander = await signup(server, 'Bystander');
    assert.equal((await put(server, bystander, { voice_api_key: 'bn-good', voice_base_url: upstream.url })).status, 200);
    const first = await sync(bystander);
    assert.equal(first.json?.success, true, first.text);
    const before = await summary(bystander);

    // A hostile listing fails only itself: the run answers "completed with warnings" naming it
    // (and what hangs off it), and applies the listings it could read.
    const cases = [['bn-deep', 'upstream_malformed', ['agents', 'campaigns', 'executions'], 0],
                   ['bn-endless', 'limit_exceeded', ['executions'], 1],
                   ['bn-loop', 'upstream_paging_loop', ['executions'], 1]];
    for (const [key, code, notRead, agents] of cases) {
      const t = await signup(server, key);
      const saved = await put(server, t, { voice_api_key: key, voice_base_url: upstream.url });
      assert.equal(saved.status, 200, `${key}: ${saved.text}`);
      const res = await sync(t);
      assert.equal(res.json?.success, true, `${key}: ${res.text}`);
      assert.equal(res.json.message, 'Sync completed with warnings', `${key}: ${res.text}`);
      const warned = res.json.warnings.filter((w) => w.code !== 'record_warning');
      assert.deepEqual(warned.map((w) => w.resource), notRead, `${key}: ${res.text}`);
      assert.ok(warned.every((w) => w.code === code), `${key}: ${res.text}`);
      assert.equal((await server.api('GET', '/healthz')).status, 200, `${key}: the server died`);
      const counts = await summary(t);
      assert.deepEqual(counts, { agents, phone_numbers: 0, campaigns: 0, executions: 0, leads: 0 },
                       `${key}: a listing not read wrote records`);
    }

    const sfCases = [['sf-deep', 'upstream_malformed'], ['sf-endless', 'limit_exceeded'], ['sf-loop', 'upstream_paging_loop']];
    for (const [token, code] of sfCases) {
      const t = await signup(server, token);
      const res = await connect(server, t, { provider: 'salesforce', access_token: token, instance_url: upstream.url });
      assert.equal(res.status, 202, `${token}: ${res.text}`);
      const run = await waitRun(server, t, res.json.run_id);
      assert.equal(run.state, 'failed', `${token}: ${JSON.stringify(run)}`);
      assert.equal(run.error?.code, code, `${token}: ${JSON.stringify(run.error)}`);
      assert.equal((await server.api('GET', '/healthz')).status, 200, `${token}: the server died`);
    }

    assert.deepEqual(await summary(bystander), before, 'the bystander tenant lost data');
    const again = await sync(bystander);
    assert.equal(again.json?.success, true, again.text);
  });
});
