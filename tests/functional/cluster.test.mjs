// Many instances on one PostgreSQL, behind HAProxy (docs/operations.md, "Running many instances"):
// three instances start at once on an empty database (migrations run once); 60 tenants with voice
// keys, 20 of them with HubSpot portals, on `* * * * *` schedules; each target is synced exactly
// once per tick across the cluster (the simulator's request log, by credential); dashboards
// connected through HAProxy see run.progress of runs every instance executed; a killed instance's
// run is taken over within lease + 5 s; a paused instance (SIGSTOP past its lease) writes nothing
// when it wakes; a PostgreSQL restart fails runs cleanly, /readyz says not-ready meanwhile, every
// instance reconnects and the next tick proceeds.
//
// The database server is this test's own (tests/support/postgres.sh), not the CTest fixture's:
// the test restarts it, which would break the tests that share the fixture's server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { launch, request, serverBin, startSim, stopProcess } from './lib/harness.mjs';

const postgresScript = fileURLToPath(new URL('../support/postgres.sh', import.meta.url));
const kInstances = 3;
const kVoiceTenants = 60;
const kCrmTenants = 20;
const kLeaseMs = 4000;
const kSlowPageMs = 1000;  // the simulator's latency on a slow account's executions pages

const dir = mkdtempSync(join(tmpdir(), 'tenantsync-cluster-'));
// postgres.sh hands its folder to the postgres user: it cannot sit inside a folder only root enters.
const pgDir = join(tmpdir(), `tenantsync-cluster-pg-${process.pid}`);
let dbUrl;
let sim;
let proxy;
let proxyUrl;
const instances = [];  // {id, port, proc, url}
const tenants = [];    // {token, tenant_id, key, portalToken?}
const streams = [];

function psql(sql) {
  return execFileSync('psql', [dbUrl, '-At', '-c', sql], { encoding: 'utf8' }).trim();
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function instanceEnv(i, port) {
  return {
    TENANTSYNC_LISTEN: `127.0.0.1:${port}`,
    TENANTSYNC_DATABASE_URL: dbUrl,
    TENANTSYNC_SECRET_KEY_FILE: join(dir, 'secret.key'),
    TENANTSYNC_INSTANCE_ID: `inst-${i}`,
    TENANTSYNC_PASSWORD_HASH: 'minimal',
    TENANTSYNC_ENV: 'test',
    TENANTSYNC_SIGNUP_BURST: '1000000',
    TENANTSYNC_WEB_ROOT: join(dir, 'no-web'),
    // info: the run_finished lines say which instance executed which run.
    TENANTSYNC_LOG_LEVEL: 'info',
    TENANTSYNC_ALLOW_PRIVATE_UPSTREAMS: '1',
    TENANTSYNC_TRUSTED_PROXIES: '127.0.0.1',
    TENANTSYNC_BOLNA_URL: sim.url, TENANTSYNC_HUBSPOT_URL: sim.url,
    TENANTSYNC_SALESFORCE_LOGIN_URL: sim.url, TENANTSYNC_NANGO_URL: sim.url,
    TENANTSYNC_NANGO_SECRET_KEY: 'nango-sim-secret',
    TENANTSYNC_VOICE_SCHEDULE: '* * * * *',
    TENANTSYNC_CRM_SCHEDULE: '* * * * *',
    TENANTSYNC_JOB_LEASE: `${kLeaseMs}ms`,
    TENANTSYNC_SYNC_WORKERS: '3',
    TENANTSYNC_UPSTREAM_ATTEMPTS: '2',
    TENANTSYNC_UPSTREAM_TIMEOUT: '10s',
  };
}

async function waitReady(url, timeoutMs = 30000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if ((await request(url, 'GET', '/readyz')).status === 200) return;
    } catch { /* not listening yet */ }
    await sleep(50);
  }
  throw new Error(`${url} did not become ready`);
}

async function startInstance(i, port) {
  const proc = launch(serverBin, ['serve'], instanceEnv(i, port));
  const inst = { id: `inst-${i}`, index: i, port, proc, url: `http://127.0.0.1:${port}` };
  instances[i] = inst;
  return inst;
}

function haproxyConfig(port) {
  const servers = instances.map((s) => `  server ${s.id} 127.0.0.1:${s.port} check`).join('\n');
  return `global
  maxconn 2000
defaults
  mode http
  option forwardfor
  timeout connect 2s
  timeout client 65s
  timeout server 65s
frontend tenantsync
  bind 127.0.0.1:${port}
  use_backend events if { path /api/events }
  default_backend instances
backend instances
  balance roundrobin
  option httpchk GET /readyz
  http-check expect status 200
  default-server inter 500ms fall 2 rise 2
${servers}
backend events
  balance roundrobin
  timeout server 1h
  timeout tunnel 1h
  option httpchk GET /readyz
  http-check expect status 200
  default-server inter 500ms fall 2 rise 2
${servers}
`;
}

const api = (method, path, opts) => request(proxyUrl, method, path, opts);

/** A dashboard's event stream through HAProxy: collects {name, data} until closed. */
async function openEvents(token) {
  const controller = new AbortController();
  const res = await fetch(`${proxyUrl}/api/events`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  assert.equal(res.status, 200);
  const events = [];
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const name = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (name && data) events.push({ name, data: JSON.parse(data) });
        }
      }
    } catch { /* aborted */ }
  })();
  const stream = { events, close: () => controller.abort() };
  streams.push(stream);
  return stream;
}

/** run_id → the instance that executed it to the end, from each instance's run_finished lines. */
function executedBy() {
  const map = new Map();
  for (const inst of instances) {
    for (const outputOf of inst.outputs ?? [inst.proc.output]) {
      for (const m of outputOf().matchAll(/event=run_finished run_id=(\d+)/g)) map.set(Number(m[1]), inst.id);
    }
  }
  return map;
}

/** The tenant's run history, through HAProxy or straight from one instance (`via`). */
async function runsOf(t, via = proxyUrl) {
  const res = await request(via, 'GET', '/api/sync/runs?limit=50', { token: t.token });
  assert.equal(res.status, 200, res.text);
  return res.json.items;
}

/** Waits until every instance's log has a run_finished line for each of `runIds`. */
const executedByAll = (runIds) => eventually('every finished run is in an instance log', () => {
  const by = executedBy();
  return runIds.every((id) => by.has(id)) ? by : null;
}, 10000);

async function eventually(what, fn, timeoutMs, stepMs = 200) {
  const until = Date.now() + timeoutMs;
  // Checked once more after the last sleep: a machine that stalls the test past the deadline in a
  // sleep still gets the condition read, never a timeout without a look.
  for (;;) {
    const last = await fn();
    if (last) return last;
    if (Date.now() >= until) break;
    await sleep(stepMs);
  }
  throw new Error(`${what}: not within ${timeoutMs} ms`);
}

const jobsLeft = () => Number(psql('SELECT COUNT(*) FROM jobs'));
const drained = (timeoutMs = 60000) => eventually('the queue drains', () => jobsLeft() === 0, timeoutMs, 250);

/** A simulator account whose executions pages each take kSlowPageMs, for a run of ~pages s. */
async function slowTenant(name, pages) {
  const id = `acct-slow-${name}-${process.pid}`;
  const key = `bn-${id}`;
  await sim.post('/_sim/bolna/accounts', { id, key });
  await sim.post(`/_sim/bolna/accounts/${id}/generate`, { agents: 1, phone_numbers: 0, batches: 0, executions: pages * 50 - 10, days: 5, seed: 3 });
  const agents = await sim.get(`/_sim/bolna/accounts/${id}/agents`);
  const agentId = agents[0].id;
  const res = await api('POST', '/api/auth/signup', { body: { tenant_name: `Slow ${name}`, email: `slow-${name}-${process.pid}@example.com`, password: 'correct horse battery' } });
  assert.equal(res.status, 201, res.text);
  return { ...res.json, key, agentId, executions: pages * 50 - 10 };
}

async function slowDown(t) {
  return sim.post('/_sim/faults', { method: 'GET', path_pattern: `/v2/agent/${t.agentId}/executions`, latency_ms: kSlowPageMs });
}

/** Saves the slow tenant's key (which queues its first sync) and waits until an instance leases it. */
async function startSlowRun(t) {
  const put = await api('PUT', '/api/tenant/settings', { token: t.token, body: { voice_api_key: t.key } });
  assert.equal(put.status, 200, put.text);
  return eventually('the slow run is leased', () => {
    const row = psql(`SELECT j.run_id || ' ' || j.lease_owner FROM jobs j WHERE j.tenant_id = ${t.tenant_id} AND j.lease_owner IS NOT NULL`);
    if (!row) return null;
    const [runId, owner] = row.split(' ');
    return { runId: Number(runId), owner };
  }, 20000, 100);
}

before(async () => {
  const haproxy = spawnSync('haproxy', ['-v'], { encoding: 'utf8' });
  assert.ok(!haproxy.error && haproxy.status === 0,
    'HAProxy is not installed: scripts/install-deps.sh --test installs it (Debian package haproxy)');
  execFileSync(postgresScript, ['start', pgDir], { stdio: 'ignore' });
  dbUrl = execFileSync('cat', [join(pgDir, 'url')], { encoding: 'utf8' }).trim().replace('/postgres?', '/cluster?');
  execFileSync('psql', [dbUrl.replace('/cluster?', '/postgres?'), '-c', 'CREATE DATABASE cluster'], { stdio: 'ignore' });
  sim = await startSim({ seedDemo: true });
});

after(async () => {
  for (const s of streams) s.close();
  for (const inst of instances) if (inst) await stopProcess(inst.proc);
  if (proxy) await stopProcess(proxy);
  if (sim) await sim.stop();
  try { execFileSync(postgresScript, ['stop', pgDir], { stdio: 'ignore' }); } catch { /* already stopped */ }
  rmSync(pgDir, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

test('three instances starting at once on an empty database run the migrations once', async () => {
  const ports = [];
  for (let i = 0; i < kInstances; ++i) ports.push(await freePort());
  await Promise.all(ports.map((port, i) => startInstance(i, port)));
  await Promise.all(instances.map((s) => waitReady(s.url)));
  const migrated = instances.map((s) => (s.proc.output().match(/event=migrated applied=(\d+)/g) ?? []).length);
  assert.deepEqual(migrated.slice().sort(), [0, 0, 1], `event=migrated lines per instance: ${migrated}`);
  const versions = psql('SELECT COUNT(*), COUNT(DISTINCT version), MIN(version), MAX(version) FROM schema_migrations');
  const [count, distinct, , max] = versions.split('|').map(Number);
  assert.equal(count, distinct);
  assert.equal(count, max, `every migration once: ${versions}`);

  const port = await freePort();
  writeFileSync(join(dir, 'haproxy.cfg'), haproxyConfig(port));
  proxy = launch('haproxy', ['-db', '-f', join(dir, 'haproxy.cfg')], {});
  proxyUrl = `http://127.0.0.1:${port}`;
  await waitReady(proxyUrl);
});

test('60 voice tenants and 20 HubSpot portals, set up through HAProxy', async () => {
  for (let i = 0; i < kVoiceTenants; ++i) {
    const id = `acct-c${process.pid}-${i}`;
    await sim.post('/_sim/bolna/accounts', { id, key: `bn-${id}` });
    await sim.post(`/_sim/bolna/accounts/${id}/generate`, { agents: 1, phone_numbers: 1, batches: 0, executions: 3, days: 5, seed: i + 1 });
    tenants.push({ key: `bn-${id}` });
  }
  for (let i = 0; i < kCrmTenants; ++i) {
    const portal = 7100000 + (process.pid % 1000) * 100 + i;
    const token = `pat-cluster-${process.pid}-${i}`;
    await sim.post('/_sim/hubspot/portals', { portal_id: portal, tokens: [token], search_per_second: 0 });
    await sim.post(`/_sim/hubspot/portals/${portal}/contacts/generate`, { contacts: 5, owners: 1, days: 5, seed: i + 1 });
    tenants[i].portalToken = token;
  }
  // Ten at a time: sign up, save the key (its first sync starts), connect the portal.
  for (let start = 0; start < tenants.length; start += 10) {
    await Promise.all(tenants.slice(start, start + 10).map(async (t, j) => {
      const res = await api('POST', '/api/auth/signup', { body: { tenant_name: `Cluster ${start + j}`, email: `cluster-${process.pid}-${start + j}@example.com`, password: 'correct horse battery' } });
      assert.equal(res.status, 201, res.text);
      Object.assign(t, res.json);
      const put = await api('PUT', '/api/tenant/settings', { token: t.token, body: { voice_api_key: t.key } });
      assert.equal(put.status, 200, put.text);
      if (t.portalToken) {
        const conn = await api('POST', '/api/crm/connect', { token: t.token, body: { provider: 'hubspot', access_token: t.portalToken } });
        assert.equal(conn.status, 202, conn.text);
      }
    }));
  }
  await drained();
  for (const t of tenants) {
    // The setup's own runs (the key's, the connect's); a scheduled tick may fall inside the setup
    // and queue one more, which the next test is about.
    const runs = (await runsOf(t)).filter((r) => r.trigger !== 'schedule');
    assert.ok(runs.length >= 1 && runs.every((r) => r.state === 'succeeded'), JSON.stringify(runs));
  }
});

test('a tick syncs every target exactly once across the cluster; dashboards through HAProxy see every instance\'s runs', async () => {
  // Every voice tenant's dashboard is open through HAProxy (spread over the instances).
  const opened = await Promise.all(tenants.map(async (t) => ({ t, stream: await openEvents(t.token) })));
  // The next tick starts at :00; the simulator's log is read from then on.
  await drained();
  const tickAt = Math.ceil(Date.now() / 60000) * 60000;
  await sleep(tickAt - Date.now() + 1000);
  await eventually('the tick queues its runs', () => Number(psql(`SELECT COUNT(*) FROM sync_runs WHERE created_at >= ${tickAt}`)) >= kVoiceTenants + kCrmTenants, 20000);
  await drained();

  const { requests, dropped } = await sim.get('/_sim/requests');
  assert.ok(requests[0].at_ms < tickAt, `the simulator's log reaches back to the tick (${dropped} dropped)`);
  const log = requests.filter((r) => r.at_ms >= tickAt);
  const count = (pred) => {
    const by = new Map();
    for (const r of log) if (pred(r)) by.set(r.credential, (by.get(r.credential) ?? 0) + 1);
    return by;
  };
  const agentLists = count((r) => r.path === '/v2/agent/all' && r.status === 200);
  // A CRM sync reads the portal's owners once (archived=false, then archived=true) and its
  // contacts in one or more searches: the first owners page counts syncs.
  const contactReads = count((r) => r.path === '/crm/v3/owners' && r.query.archived === 'false' && !r.query.after && r.status === 200);
  for (const t of tenants) {
    assert.equal(agentLists.get(t.key), 1, `voice key ${t.key}: ${agentLists.get(t.key) ?? 0} syncs in the tick`);
    if (t.portalToken) assert.equal(contactReads.get(t.portalToken), 1, `portal ${t.portalToken}: ${contactReads.get(t.portalToken) ?? 0} syncs in the tick`);
  }
  // One run per target in the tick, all succeeded. (That a tenant's runs never overlap across the
  // cluster is proven by the store suite, ConcurrentClaimsNeverPassTheTenantCap: a run's
  // started_at is taken when its claim begins, before it waits its turn, so it cannot show it.)
  for (const t of tenants) {
    const tickRuns = (await runsOf(t)).filter((r) => Date.parse(r.created_at) >= tickAt);
    assert.equal(tickRuns.length, t.portalToken ? 2 : 1, JSON.stringify(tickRuns));
    assert.ok(tickRuns.every((r) => r.state === 'succeeded' && r.trigger === 'schedule'), JSON.stringify(tickRuns));
  }

  // Each dashboard saw its runs' progress once, whichever instance executed them; together the
  // dashboards saw runs of every instance.
  const tickRunsOf = new Map();
  for (const t of tenants) tickRunsOf.set(t, (await runsOf(t)).filter((r) => Date.parse(r.created_at) >= tickAt).map((r) => r.id));
  const by = await executedByAll([...tickRunsOf.values()].flat());
  const seenFrom = new Set();
  for (const { t, stream } of opened) {
    const tickRunIds = tickRunsOf.get(t);
    for (const runId of tickRunIds) {
      const of = (name) => stream.events.filter((e) => e.name === name && e.data.run_id === runId);
      assert.ok(of('run.progress').length >= 1, `tenant ${t.tenant_id} saw no run.progress of run ${runId}`);
      assert.equal(of('run.started').length, 1, `run.started of run ${runId}`);
      assert.equal(of('run.finished').length, 1, `run.finished of run ${runId}`);
      assert.ok(by.has(runId), `no instance logged run ${runId} as finished`);
      seenFrom.add(by.get(runId));
    }
    stream.close();
  }
  assert.deepEqual([...seenFrom].sort(), instances.map((s) => s.id).sort());
});

test('kill -9 of the instance executing a long run: another takes it over within lease + 5 s', async () => {
  await drained();
  const t = await slowTenant('kill', 4);
  await slowDown(t);
  const { runId, owner } = await startSlowRun(t);
  await sleep(1000);  // a page or so in
  const victim = instances.find((s) => s.id === owner);
  const killedAt = Date.now();
  victim.proc.stopping = true;
  victim.proc.kill('SIGKILL');
  await new Promise((resolve) => victim.proc.exitCode !== null || victim.proc.signalCode !== null ? resolve() : victim.proc.once('exit', resolve));

  const takeover = await eventually('another instance takes the run over', () => {
    const row = psql(`SELECT j.run_id || ' ' || j.lease_owner FROM jobs j WHERE j.tenant_id = ${t.tenant_id} AND j.lease_owner IS NOT NULL AND j.run_id <> ${runId}`);
    return row ? { at: Date.now(), owner: row.split(' ')[1], runId: Number(row.split(' ')[0]) } : null;
  }, kLeaseMs + 15000, 100);
  assert.ok(takeover.at - killedAt <= kLeaseMs + 5000, `taken over after ${takeover.at - killedAt} ms`);
  assert.notEqual(takeover.owner, owner);

  // The killed instance comes back on its port (HAProxy's health check lets it in again).
  const outputs = [...(victim.outputs ?? [victim.proc.output])];
  const back = await startInstance(victim.index, victim.port);
  back.outputs = [...outputs, back.proc.output];
  await waitReady(back.url);

  const done = await eventually('the new run succeeds', async () => {
    const runs = await runsOf(t);
    return runs.find((r) => r.id === takeover.runId && r.state === 'succeeded') ? runs : null;
  }, 30000);
  const lost = done.find((r) => r.id === runId);
  assert.equal(lost.state, 'failed');
  assert.equal(lost.error.code, 'worker_lost');
  assert.deepEqual(done.filter((r) => r.trigger === 'key_change').map((r) => r.state).sort(), ['failed', 'succeeded']);
  const s = (await api('GET', '/api/tenant/summary', { token: t.token })).json;
  assert.equal(s.counts.executions, t.executions, 'nothing lost or duplicated');
  assert.equal(Number(psql(`SELECT COUNT(*) FROM executions WHERE tenant_id = ${t.tenant_id} AND archived_at IS NULL`)), t.executions);
  await sim.del('/_sim/faults');
});

test('SIGSTOP an instance past its lease, then SIGCONT: it stops its run and writes nothing', async () => {
  await drained();
  const t = await slowTenant('stop', 5);
  await slowDown(t);
  const { runId, owner } = await startSlowRun(t);
  await sleep(1500);
  const paused = instances.find((s) => s.id === owner);
  const live = instances.find((s) => s.id !== owner).url;  // HAProxy may still pick the paused one
  paused.proc.kill('SIGSTOP');
  try {
    // Another instance sweeps the run (worker_lost) and runs it again to the end.
    const done = await eventually('the run is taken over and finished', async () => {
      const runs = await runsOf(t, live);
      const retry = runs.find((r) => r.id !== runId);
      return retry?.state === 'succeeded' ? runs : null;
    }, kLeaseMs + 30000);
    const before = psql(`SELECT state, error_code, progress, heartbeat_at, finished_at FROM sync_runs WHERE id = ${runId}`);
    const executions = Number(psql(`SELECT COUNT(*) FROM executions WHERE tenant_id = ${t.tenant_id} AND archived_at IS NULL`));
    assert.equal(executions, t.executions);
    assert.equal(done.find((r) => r.id === runId).error.code, 'worker_lost');
    const quietUntil = paused.proc.output().length;
    paused.proc.kill('SIGCONT');
    // Awake: its page write is refused by the lease fence and its renewal by the lease; the old
    // run's record and the mirror stay as the other instance left them.
    await eventually('the paused instance notices its lost lease',
      () => new RegExp(`event=(lease_lost|run_left) run_id=${runId}\\b`).test(paused.proc.output().slice(quietUntil)), 15000);
    await sleep(2000);
    assert.equal(psql(`SELECT state, error_code, progress, heartbeat_at, finished_at FROM sync_runs WHERE id = ${runId}`), before);
    assert.equal(Number(psql(`SELECT COUNT(*) FROM executions WHERE tenant_id = ${t.tenant_id} AND archived_at IS NULL`)), t.executions);
    // The key change's run and its retry (a schedule tick may have added a run of its own).
    const runs = (await runsOf(t, live)).filter((r) => r.trigger === 'key_change');
    assert.deepEqual(runs.map((r) => r.state).sort(), ['failed', 'succeeded'], JSON.stringify(runs));
  } finally {
    paused.proc.kill('SIGCONT');
    await sim.del('/_sim/faults');
  }
});

test('PostgreSQL restarts mid-run: runs fail cleanly, /readyz is not ready meanwhile, every instance reconnects and the next tick proceeds', async () => {
  await drained();
  const t = await slowTenant('restart', 6);
  await slowDown(t);
  const { runId } = await startSlowRun(t);
  await sleep(1500);
  execFileSync(postgresScript, ['stop', pgDir], { stdio: 'ignore' });
  const stoppedAt = Date.now();
  try {
    for (const inst of instances) {
      await eventually(`${inst.id} reports not ready`, async () => (await request(inst.url, 'GET', '/readyz')).status === 503, 10000);
    }
    const through = await request(proxyUrl, 'GET', '/readyz');
    assert.equal(through.status, 503, 'HAProxy has no ready instance to send to');
    // Down for longer than the lease, so the run cannot simply resume where it was.
    await sleep(Math.max(0, stoppedAt + kLeaseMs + 1500 - Date.now()));
  } finally {
    execFileSync(postgresScript, ['resume', pgDir], { stdio: 'ignore' });
  }
  await Promise.all(instances.map((inst) => eventually(`${inst.id} ready again`, async () => (await request(inst.url, 'GET', '/readyz')).status === 200, 20000)));
  await waitReady(proxyUrl);
  await sim.del('/_sim/faults');

  // The run that was executing ends failed with a clean error (its worker could not write or
  // lost its lease); a retry the sweep queued succeeds; nothing stays queued or running.
  const settled = await eventually('the interrupted run ends', async () => {
    const runs = await runsOf(t);
    return runs.every((r) => !['queued', 'running'].includes(r.state)) ? runs : null;
  }, 60000, 500);
  const interrupted = settled.find((r) => r.id === runId);
  assert.equal(interrupted.state, 'failed', JSON.stringify(interrupted));
  assert.ok(interrupted.error?.code, JSON.stringify(interrupted));
  const retries = settled.filter((r) => r.id !== runId && r.trigger === 'key_change');
  assert.ok(retries.every((r) => r.state === 'succeeded'), JSON.stringify(retries));

  // The next tick: every target synced again, by a cluster whose instances all reconnected.
  const tickAt = Math.ceil(Date.now() / 60000) * 60000;
  await sleep(tickAt - Date.now() + 1000);
  await eventually('the tick after the restart queues its runs', () => Number(psql(`SELECT COUNT(*) FROM sync_runs WHERE created_at >= ${tickAt}`)) >= kVoiceTenants + kCrmTenants, 20000);
  await drained();
  const tickRunIds = [];
  for (const t2 of tenants) {
    const tickRuns = (await runsOf(t2)).filter((r) => Date.parse(r.created_at) >= tickAt);
    assert.equal(tickRuns.length, t2.portalToken ? 2 : 1, JSON.stringify(tickRuns));
    assert.ok(tickRuns.every((r) => r.state === 'succeeded'), JSON.stringify(tickRuns));
    tickRunIds.push(...tickRuns.map((r) => r.id));
  }
  const by = await executedByAll(tickRunIds);
  const executors = new Set(tickRunIds.map((id) => by.get(id)));
  assert.deepEqual([...executors].sort(), instances.map((s) => s.id).sort(), 'every instance executes runs again');
});
