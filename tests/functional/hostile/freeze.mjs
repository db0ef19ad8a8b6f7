// Issue 9, "one tenant freezes the API": syncs against a slow upstream and key checks against a
// URL that never answers run while /healthz and login keep answering fast; per-tenant limits
// answer limit_exceeded naming the limit; one tenant's backlog does not hold other tenants' runs.
// The slow upstreams are loopback servers of this test; nothing leaves this machine.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startStack, signup } from '../lib/harness.mjs';

const SLOW_MS = 1000;  // each listing of the slow voice platform takes this long (a run: ~2 s)
const CHECK_BUDGET_S = 2;  // the server's budget for one key check (TENANTSYNC_CHECK_BUDGET)
const MAX_RUNS = 4;  // TENANTSYNC_TENANT_MAX_RUNS
const MAX_STREAMS = 2;  // TENANTSYNC_TENANT_MAX_EVENT_STREAMS
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * A voice platform on loopback: /user/me answers at once (keys can be saved), every listing after
 * `slowMs` (or never, with hang). Counts requests by path.
 */
async function voicePlatform({ slowMs = 0, hang = false } = {}) {
  const sockets = new Set();
  const seen = [];
  const server = http.createServer((req, res) => {
    seen.push(req.url);
    if (hang) return;  // never answers: the server's budget must end the check
    const reply = (body) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); };
    if (req.url.startsWith('/user/me')) return reply({ id: 'acct-slow', name: 'Slow', email: 'slow@example.com' });
    setTimeout(() => { if (!res.destroyed) reply([]); }, slowMs);
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    seen,
    close: async () => { for (const s of sockets) s.destroy(); await new Promise((r) => server.close(r)); },
  };
}

function p99(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)];
}

async function timed(fn) {
  const started = performance.now();
  const res = await fn();
  return { res, ms: performance.now() - started };
}

describe('hostile: one tenant cannot freeze the API', () => {
  let stack;
  let slow;
  let silent;
  before(async () => {
    slow = await voicePlatform({ slowMs: SLOW_MS });
    silent = await voicePlatform({ hang: true });
    stack = await startStack({
      env: {
        TENANTSYNC_ALLOW_PRIVATE_UPSTREAMS: '1',  // the slow platforms are on loopback
        TENANTSYNC_PASSWORD_HASH: 'minimal',  // login's cost is not what is measured
        TENANTSYNC_VOICE_SCHEDULE: 'off', TENANTSYNC_CRM_SCHEDULE: 'off',
        TENANTSYNC_SYNC_WAIT: '15s', TENANTSYNC_CHECK_BUDGET: `${CHECK_BUDGET_S}s`,
        TENANTSYNC_UPSTREAM_ATTEMPTS: '1', TENANTSYNC_SYNC_WORKERS: '2', TENANTSYNC_CHECK_THREADS: '8',
        TENANTSYNC_TENANT_MAX_RUNS: String(MAX_RUNS),
        TENANTSYNC_TENANT_MAX_EVENT_STREAMS: String(MAX_STREAMS),
        TENANTSYNC_TENANT_MAX_CRM_CONNECTIONS: '1',
      },
    });
  });
  after(async () => {
    await stack?.stop();
    await slow?.close();
    await silent?.close();
  });

  const active = (run) => ['queued', 'running'].includes(run.state);
  const runsOf = async (t) => (await stack.api('GET', '/api/sync/runs?limit=100', { token: t.token })).json.items;

  // Cancels the tenants' queued runs and waits for their running ones to end.
  async function drain(tenants) {
    for (const t of tenants) {
      for (const r of (await runsOf(t)).filter((x) => x.state === 'queued')) {
        await stack.api('POST', `/api/sync/runs/${r.id}/cancel`, { token: t.token });
      }
    }
    for (let i = 0; i < 100; i++) {
      const busy = await Promise.all(tenants.map(async (t) => (await runsOf(t)).some(active)));
      if (!busy.some(Boolean)) return;
      await sleep(200);
    }
    assert.fail('the runs did not end');
  }

  // Tenants whose key works at the slow platform (saving it checks /user/me, which is fast); the
  // sync each key change starts is over when this returns.
  async function slowTenants(...names) {
    const tenants = await Promise.all(names.map((name) => signup(stack, name)));
    await Promise.all(tenants.map(async (t, i) => {
      const put = await stack.api('PUT', '/api/tenant/settings', {
        token: t.token, body: { voice_api_key: `bn-${names[i]}-key`, voice_base_url: slow.url },
      });
      assert.equal(put.status, 200, put.text);
    }));
    await drain(tenants);
    return tenants;
  }

  test('20 slow syncs and hanging key checks leave /healthz and login under 200 ms p99', async () => {
    const tenants = await slowTenants('Freeze0', 'Freeze1', 'Freeze2', 'Freeze3', 'Freeze4');
    const observer = await signup(stack, 'Observer');  // no key: its logins start no sync
    const checkers = [];
    for (let i = 0; i < 6; i++) checkers.push(await signup(stack, `Checker${i}`));

    // The slow work: 4 syncs per tenant (one real, three dry runs; each its own run), 20 in all,
    // and a key check per checker against a platform that never answers.
    const syncs = [];
    for (const t of tenants) {
      for (let k = 0; k < 4; k++) {
        syncs.push(stack.api('POST', '/api/tenant/sync', { token: t.token, body: { dry_run: k > 0 } }));
      }
    }
    const checks = checkers.map((t, i) => timed(() => stack.api('PUT', '/api/tenant/settings', {
      token: t.token, body: { voice_api_key: `bn-check-${i}`, voice_base_url: silent.url },
    })));
    await sleep(300);  // let the slow work take its threads

    // Measured while it runs: health and login, one after the other, 60 of each.
    const health = [];
    const logins = [];
    for (let i = 0; i < 60; i++) {
      const h = await timed(() => stack.api('GET', '/healthz'));
      assert.equal(h.res.status, 200, h.res.text);
      health.push(h.ms);
      const l = await timed(() => stack.api('POST', '/api/auth/login', {
        body: { email: observer.email, password: observer.password },
      }));
      assert.equal(l.res.status, 200, l.res.text);
      logins.push(l.ms);
    }
    const healthP99 = p99(health);
    const loginP99 = p99(logins);
    console.log(`# freeze: /healthz p99 ${healthP99.toFixed(1)} ms, login p99 ${loginP99.toFixed(1)} ms ` +
      `(60 each, during 20 slow syncs and ${checkers.length} hanging key checks)`);
    assert.ok(healthP99 < 200, `/healthz p99 ${healthP99.toFixed(1)} ms`);
    assert.ok(loginP99 < 200, `login p99 ${loginP99.toFixed(1)} ms`);
    // The slow work was really in progress while we measured.
    assert.ok((await runsOf(tenants[4])).some(active), 'the syncs were still going on during the measurement');

    // Every sync request answered (202 while its run goes on, or its result); none failed.
    for (const res of await Promise.all(syncs)) {
      assert.ok([200, 202].includes(res.status), `sync answered ${res.status} ${res.text}`);
    }
    // Each key check ended within its budget with a clear upstream error, and nothing was saved.
    for (const { res, ms } of await Promise.all(checks)) {
      assert.equal(res.status, 502, res.text);
      // Timed out or refused look the same to a tenant (no network scanning): one generic code.
      assert.equal(res.json.error, 'upstream_unreachable');
      assert.ok(ms < CHECK_BUDGET_S * 1000 + 1500, `the check took ${ms.toFixed(0)} ms`);
    }
    const unsaved = await stack.api('GET', '/api/tenant/settings', { token: checkers[0].token });
    assert.equal(unsaved.json.voice_api_key_set, false);
    // One try per check: no retries against the silent platform.
    assert.equal(silent.seen.length, checkers.length);
    await drain(tenants);
  });

  test('a tenant past its queued runs gets 429 limit_exceeded naming queued_runs', async () => {
    const [t] = await slowTenants('Greedy');
    const accepted = [];
    for (let k = 0; k < MAX_RUNS; k++) {
      accepted.push(stack.api('POST', '/api/tenant/sync', { token: t.token, body: { dry_run: true } }));
    }
    await sleep(200);  // the runs are queued before their requests answer
    const refused = await stack.api('POST', '/api/tenant/sync', { token: t.token, body: { dry_run: true } });
    assert.equal(refused.status, 429, refused.text);
    assert.equal(refused.json.error, 'limit_exceeded');
    assert.match(refused.json.message, /queued_runs/);
    await drain([t]);
    // Each answered with its run: done, still running, or cancelled by the drain above.
    for (const res of await Promise.all(accepted)) {
      assert.ok([200, 202].includes(res.status) || (res.status === 409 && res.json.error === 'cancelled'), res.text);
    }
  });

  test("another tenant's run starts before one tenant's earlier backlog", async () => {
    const [flooder, other] = await slowTenants('Flooder', 'Patient');
    // The flooder queues as many runs as it may (about 2 s each, 2 workers), then the other
    // tenant one. FIFO would start all of the flooder's first; fair claims take turns.
    const flood = [];
    for (let k = 0; k < MAX_RUNS; k++) {
      flood.push(stack.api('POST', '/api/tenant/sync', { token: flooder.token, body: { dry_run: k > 0 } }));
    }
    await sleep(300);
    const mine = await stack.api('POST', '/api/tenant/sync', { token: other.token, body: {} });
    assert.ok([200, 202].includes(mine.status), mine.text);
    await Promise.all(flood);
    for (let i = 0; i < 100 && (await runsOf(flooder)).some(active); i++) await sleep(200);
    const startOf = (r) => Date.parse(r.started_at);
    const flooderStarts = (await runsOf(flooder)).filter((r) => r.trigger === 'manual').map(startOf);
    const otherRun = (await runsOf(other)).find((r) => r.trigger === 'manual');
    assert.equal(flooderStarts.length, MAX_RUNS);
    assert.ok(otherRun?.started_at, "the other tenant's run ran");
    assert.ok(flooderStarts.some((t) => t > startOf(otherRun)),
      "the other tenant's run started before some of the flooder's earlier runs");
    await drain([flooder, other]);
  });

  test('event streams past the limit answer 429 limit_exceeded naming event_streams', async () => {
    const t = await signup(stack, 'Streamer');
    const controllers = [];
    try {
      for (let i = 0; i < MAX_STREAMS; i++) {
        const c = new AbortController();
        controllers.push(c);
        const res = await fetch(`${stack.baseUrl}/api/events`, { headers: { authorization: `Bearer ${t.token}` }, signal: c.signal });
        assert.equal(res.status, 200);
      }
      const over = await stack.api('GET', '/api/events', { token: t.token });
      assert.equal(over.status, 429, over.text);
      assert.equal(over.json.error, 'limit_exceeded');
      assert.match(over.json.message, /event_streams/);
      // Other tenants are not limited by this one's streams.
      const other = await signup(stack, 'Listener');
      const c = new AbortController();
      controllers.push(c);
      const ok = await fetch(`${stack.baseUrl}/api/events`, { headers: { authorization: `Bearer ${other.token}` }, signal: c.signal });
      assert.equal(ok.status, 200);
    } finally {
      for (const c of controllers) c.abort();
    }
  });

  test('CRM connections past the limit answer 429 limit_exceeded naming crm_connections', async () => {
    const t = await signup(stack, 'Collector');
    const portals = [];
    for (let i = 0; i < 2; i++) {
      const portal = 7_000_000 + process.pid % 1000 * 10 + i;
      const token = `pat-freeze-${portal}`;
      await stack.sim.post('/_sim/hubspot/portals', { portal_id: portal, tokens: [token], search_per_second: 0 });
      portals.push(token);
    }
    const first = await stack.api('POST', '/api/crm/connect', { token: t.token, body: { provider: 'hubspot', access_token: portals[0] } });
    assert.equal(first.status, 202, first.text);
    const second = await stack.api('POST', '/api/crm/connect', { token: t.token, body: { provider: 'hubspot', access_token: portals[1] } });
    assert.equal(second.status, 429, second.text);
    assert.equal(second.json.error, 'limit_exceeded');
    assert.match(second.json.message, /crm_connections/);
  });

  test('a second key check of the same tenant while one runs answers 429 limit_exceeded', async () => {
    const t = await signup(stack, 'DoubleCheck');
    const body = { voice_api_key: 'bn-double-key', voice_base_url: silent.url };
    const first = stack.api('PUT', '/api/tenant/settings', { token: t.token, body });
    await sleep(200);
    const second = await stack.api('PUT', '/api/tenant/settings', { token: t.token, body });
    assert.equal(second.status, 429, second.text);
    assert.equal(second.json.error, 'limit_exceeded');
    assert.match(second.json.message, /key_checks/);
    assert.equal((await first).status, 502);
  });
});
