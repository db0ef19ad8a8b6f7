#!/usr/bin/env node
// Sync benchmarks against the real binaries (tenantsync on SQLite + tenantsync-sim): prints
// figures, asserts nothing about speed. Two benchmarks, each on a fresh server:
//   voice: first full sync of a generated Bolna account, then a no-change sync;
//   crm:   first sync of generated HubSpot contacts (contacts/s, contacts per server CPU-second,
//          peak RSS), a no-change sync, then a full re-read of the unchanged contacts (the cursor
//          cleared, as a sync from scratch does).
// Besides its human-readable lines it prints one JSON line per figure on stdout,
// {"figure","value","unit","target","bound"} (docs/benchmarks.md, "Figures"), which bench/run.sh
// collects into its table.
// Usage: node bench/sync_bench.mjs [--only voice|crm] [--scale 0.01] [--limit-s 300]
//                                  [--backend sqlite|postgresql] [--log-level warn|info] [--log-dir DIR]
// Binaries: TENANTSYNC_BIN / TENANTSYNC_SIM_BIN (default build/release/…).
import { writeFileSync, readFileSync, mkdirSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

process.env.TENANTSYNC_BIN ??= 'build/release/tenantsync';
process.env.TENANTSYNC_SIM_BIN ??= 'build/release/tenantsync-sim';
const { startSim, startServer, signup } = await import('../tests/functional/lib/harness.mjs');

const args = new Map();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const only = args.get('only');
const scale = Number(args.get('scale') ?? 1);
const limitMs = Number(args.get('limit-s') ?? 300) * 1000;
const logLevel = args.get('log-level') ?? 'warn';
const logDir = args.get('log-dir') ?? '/tmp';
const backend = args.get('backend') ?? 'sqlite';

/** One figure for bench/run.sh's table: target ">=N", "<=N" or null; bound "machine" or null. */
function emit(figure, value, unit, target = null, bound = null) {
  console.log(JSON.stringify({ figure, value, unit, target, bound }));
}

// PostgreSQL (--backend postgresql): a throw-away server of tests/support/postgres.sh, not inside
// a folder only root may enter (the script hands its folder to the postgres user).
const postgresScript = fileURLToPath(new URL('../tests/support/postgres.sh', import.meta.url));
const pgDir = join(tmpdir(), `tenantsync-bench-pg-${process.pid}`);
let pgAdminUrl = null;
let pgDatabases = 0;
function serverDatabase() {
  if (backend !== 'postgresql') return {};
  if (!pgAdminUrl) {
    execFileSync(postgresScript, ['start', pgDir], { stdio: 'ignore' });
    pgAdminUrl = readFileSync(join(pgDir, 'url'), 'utf8').trim();
  }
  const name = `bench_sync_${process.pid}_${pgDatabases++}`;
  execFileSync('psql', [pgAdminUrl, '-At', '-c', `CREATE DATABASE ${name}`]);
  return { databaseUrl: pgAdminUrl.replace('/postgres?', `/${name}?`) };
}

/** Runs one SQL statement on the server's database (the benchmark's own changes, e.g. a cleared cursor). */
function sqlOn(server, sql) {
  if (backend === 'postgresql') execFileSync('psql', [server.databaseUrl, '-At', '-c', sql]);
  else execFileSync('sqlite3', ['-cmd', '.timeout 10000', join(server.dir, 'tenantsync.db'), sql]);
}

const n = (x) => Math.max(1, Math.round(x * scale));
const fmtMs = (ms) => (ms >= 10000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);
const fmtInt = (x) => Math.round(x).toLocaleString('en-US');

/** VmHWM / VmRSS of a process in MiB, from /proc/<pid>/status. */
function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key) => Number(status.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'))[1]);
  return { hwm: kib('VmHWM') / 1024, rss: kib('VmRSS') / 1024 };
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat (100 ticks/s). */
function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** CPU seconds the server and the simulator used while fn ran (the machine is shared, so wall time is noisy). */
async function cpuOf(server, sim, fn) {
  const s0 = cpuSeconds(server.proc.pid);
  const m0 = cpuSeconds(sim.proc.pid);
  const value = await fn();
  return { value, serverCpu: cpuSeconds(server.proc.pid) - s0, simCpu: cpuSeconds(sim.proc.pid) - m0 };
}

/** Prints the upstream calls the simulator answered since the last clear (for a short sync). */
async function printUpstreamCalls(sim, label) {
  const { requests, dropped } = await sim.get('/_sim/requests');
  console.log(`  ${label}: ${requests.length} upstream calls${dropped ? ` (+${dropped} dropped)` : ''}`);
  let prev = requests[0]?.at_ms;
  for (const r of requests.slice(0, 40)) {
    const q = new URLSearchParams(r.query).toString();
    console.log(`    +${String(r.at_ms - prev).padStart(5)} ms ${r.method} ${r.path}${q ? `?${q}` : ''} → ${r.status}`);
    prev = r.at_ms;
  }
}

async function api(server, method, path, token, body) {
  const res = await server.api(method, path, { token, body });
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
  return res.json;
}

/**
 * Polls a run until it leaves queued/running; prints its progress now and then. Gives up after
 * limitMs (a pathologically slow run is reported, not waited for).
 */
async function waitRun(server, token, runId, label) {
  const started = Date.now();
  let lastReport = started;
  for (;;) {
    const run = await api(server, 'GET', `/api/sync/runs/${runId}`, token);
    if (run.state !== 'queued' && run.state !== 'running') return { run, wallMs: Date.now() - started };
    if (Date.now() - lastReport >= 15000) {
      lastReport = Date.now();
      console.log(`  … ${label}: ${run.state} after ${fmtMs(Date.now() - started)}, progress ${JSON.stringify(run.progress)}`);
    }
    if (Date.now() - started > limitMs) {
      throw new Error(`${label}: run ${runId} still ${run.state} after ${fmtMs(limitMs)}; ` +
        `progress ${JSON.stringify(run.progress)}`);
    }
    await sleep(200);
  }
}

function serverEnv(sim) {
  return {
    TENANTSYNC_BOLNA_URL: sim.url,
    TENANTSYNC_HUBSPOT_URL: sim.url,
    TENANTSYNC_VOICE_SCHEDULE: 'off',
    TENANTSYNC_CRM_SCHEDULE: 'off',
    TENANTSYNC_SYNC_WAIT: '30m',
    TENANTSYNC_LOG_LEVEL: logLevel,
  };
}

/** Runs fn with a fresh server; always stops it and saves its output to logDir. */
async function withServer(sim, name, fn) {
  const server = await startServer({ env: serverEnv(sim), ...serverDatabase() });
  try {
    return await fn(server);
  } finally {
    mkdirSync(logDir, { recursive: true });
    const logFile = join(logDir, `tenantsync-bench-${name}.log`);
    writeFileSync(logFile, server.proc.output());
    await server.stop();
    console.log(`  server log: ${logFile}`);
  }
}

async function voiceBench(sim) {
  const shape = { agents: n(100), phone_numbers: n(200), batches: 10, executions: n(100000), days: 25, seed: 1 };
  console.log(`\n== voice: ${JSON.stringify(shape)}`);
  const id = 'acct-bench';
  const key = 'bn-bench-key';
  await sim.post('/_sim/bolna/accounts', { id, key });
  let t0 = Date.now();
  const made = await sim.post(`/_sim/bolna/accounts/${id}/generate`, shape);
  console.log(`  simulator generated ${JSON.stringify(made)} in ${fmtMs(Date.now() - t0)}`);

  return withServer(sim, 'voice', async (server) => {
    const t = await signup(server, 'Bench Voice');
    const before = memory(server.proc.pid);
    t0 = Date.now();
    const firstCpu = await cpuOf(server, sim, async () => {
      const put = await api(server, 'PUT', '/api/tenant/settings', t.token, { voice_api_key: key });
      return waitRun(server, t.token, put.sync.run_id, 'voice first sync');
    });
    const first = firstCpu.value.run;
    const runId = first.id;
    const firstWall = Date.now() - t0;
    if (first.state !== 'succeeded') throw new Error(`voice first sync ${first.state}: ${JSON.stringify(first.error)}`);
    const afterFirst = memory(server.proc.pid);
    const summary = await api(server, 'GET', '/api/tenant/summary', t.token);
    console.log(`  first sync: run ${runId} ${first.state}, duration_ms ${first.duration_ms}, ` +
      `wall (PUT→finished) ${fmtMs(firstWall)}`);
    console.log(`  first sync counts: ${JSON.stringify(first.counts)}`);
    console.log(`  first sync times: created ${first.created_at} started ${first.started_at} finished ${first.finished_at}`);
    console.log(`  mirror: ${JSON.stringify(summary.counts)}`);

    await sim.del('/_sim/requests');
    t0 = Date.now();
    const againCpu = await cpuOf(server, sim, () => api(server, 'POST', '/api/tenant/sync', t.token, {}));
    const again = againCpu.value;
    const againWall = Date.now() - t0;
    const second = await api(server, 'GET', `/api/sync/runs/${again.run_id}`, t.token);
    const changes = Object.entries(again.resources)
      .map(([r, c]) => [r, c.created + c.updated + c.archived + c.restored]);
    const noChange = changes.every(([, c]) => c === 0);
    console.log(`  no-change sync: run ${again.run_id} ${second.state}, wall ${fmtMs(againWall)}, ` +
      `duration_ms ${second.duration_ms}, created/updated/archived/restored all 0: ${noChange}`);
    console.log(`  no-change resources: ${JSON.stringify(again.resources)}`);
    await printUpstreamCalls(sim, 'no-change sync');
    const end = memory(server.proc.pid);
    console.log(`  CPU s (server/sim): first ${firstCpu.serverCpu.toFixed(1)}/${firstCpu.simCpu.toFixed(1)}, ` +
      `no-change ${againCpu.serverCpu.toFixed(1)}/${againCpu.simCpu.toFixed(1)}`);
    emit('voice first sync: server peak RSS (VmHWM), ' + fmtInt(shape.executions) + ' executions', afterFirst.hwm, 'MiB');
    emit('voice no-change sync: wall', againWall, 'ms', '<=100', 'machine');
    return {
      firstCpu, againCpu,
      shape, made, firstMs: first.duration_ms, firstWall, againWall, againMs: second.duration_ms, noChange,
      mirror: summary.counts, hwmBefore: before.hwm, hwmAfterFirst: afterFirst.hwm, hwmEnd: end.hwm,
    };
  });
}

async function crmBench(sim) {
  const contacts = n(100000);
  const portal = 7000001;
  const token = 'pat-na1-bench';
  console.log(`\n== crm: ${contacts} HubSpot contacts`);
  await sim.post('/_sim/hubspot/portals', {
    portal_id: portal, tokens: [token], burst_max: 1000000, daily_max: 100000000, search_per_second: 0,
  });
  let t0 = Date.now();
  const made = await sim.post(`/_sim/hubspot/portals/${portal}/contacts/generate`,
    { contacts, owners: 5, days: 90, seed: 42 });
  console.log(`  simulator generated ${JSON.stringify(made)} in ${fmtMs(Date.now() - t0)}`);

  return withServer(sim, 'crm', async (server) => {
    const t = await signup(server, 'Bench CRM');
    const before = memory(server.proc.pid);
    t0 = Date.now();
    const firstCpu = await cpuOf(server, sim, async () => {
      const res = await server.api('POST', '/api/crm/connect', { token: t.token, body: { provider: 'hubspot', access_token: token } });
      if (res.status !== 202) throw new Error(`connect: ${res.status} ${res.text}`);
      return waitRun(server, t.token, res.json.run_id, 'crm first sync');
    });
    const first = firstCpu.value.run;
    const firstWall = Date.now() - t0;
    if (first.state !== 'succeeded') throw new Error(`crm first sync ${first.state}: ${JSON.stringify(first.error)}`);
    const after = memory(server.proc.pid);
    const summary = await api(server, 'GET', '/api/tenant/summary', t.token);
    const perSecond = contacts / (first.duration_ms / 1000);
    console.log(`  first sync: run ${first.id} ${first.state}, duration_ms ${first.duration_ms}, ` +
      `wall (connect→finished) ${fmtMs(firstWall)}, ${fmtInt(perSecond)} contacts/s`);
    console.log(`  first sync counts: ${JSON.stringify(first.counts)}; leads in mirror: ${summary.counts.leads}`);
    console.log(`  first sync times: created ${first.created_at} started ${first.started_at} finished ${first.finished_at}`);
    console.log(`  VmHWM before connect ${before.hwm.toFixed(1)} MiB, ` +
      `after first sync ${after.hwm.toFixed(1)} MiB (VmRSS now ${after.rss.toFixed(1)} MiB)`);

    await sim.del('/_sim/requests');
    t0 = Date.now();
    const againCpu = await cpuOf(server, sim, () => api(server, 'POST', '/api/crm/sync', t.token));
    const again = againCpu.value;
    const againWall = Date.now() - t0;
    const r = again.results[0];
    const second = await api(server, 'GET', `/api/sync/runs/${r.run_id}`, t.token);
    const noChange = r.created === 0 && r.updated === 0;
    console.log(`  no-change sync: run ${r.run_id} ${r.state}, wall ${fmtMs(againWall)}, duration_ms ` +
      `${second.duration_ms}, created ${r.created} updated ${r.updated} unchanged ${r.unchanged}`);
    await printUpstreamCalls(sim, 'no-change sync');
    console.log(`  CPU s (server/sim): first ${firstCpu.serverCpu.toFixed(1)}/${firstCpu.simCpu.toFixed(1)}, ` +
      `no-change ${againCpu.serverCpu.toFixed(1)}/${againCpu.simCpu.toFixed(1)}`);

    // A full re-read of the unchanged contacts: the cursor cleared, the next sync reads them all.
    sqlOn(server, "UPDATE crm_connections SET cursor = ''");
    t0 = Date.now();
    const rereadCpu = await cpuOf(server, sim, () => api(server, 'POST', '/api/crm/sync', t.token));
    const rereadWall = Date.now() - t0;
    const rr = rereadCpu.value.results[0];
    const reread = await api(server, 'GET', `/api/sync/runs/${rr.run_id}`, t.token);
    console.log(`  full re-read: run ${rr.run_id} ${rr.state}, wall ${fmtMs(rereadWall)}, duration_ms ` +
      `${reread.duration_ms}, created ${rr.created} updated ${rr.updated} unchanged ${rr.unchanged}, ` +
      `CPU s server/sim ${rereadCpu.serverCpu.toFixed(2)}/${rereadCpu.simCpu.toFixed(2)}`);

    const tag = backend === 'postgresql' ? '.postgresql' : '';
    const writeMs = first.counts?.leads?.store_ms;
    if (backend === 'sqlite') {
      emit('crm first sync: contacts per server CPU-s', contacts / firstCpu.serverCpu, 'contacts/CPU-s', '>=40000');
      emit('crm full re-read (unchanged): contacts per server CPU-s', contacts / rereadCpu.serverCpu,
        'contacts/CPU-s', '>=100000');
      emit('crm first sync: simulator CPU / server CPU', firstCpu.simCpu / firstCpu.serverCpu, 'ratio', '<=0.25');
      emit('crm first sync (no rate limits): contacts/s', perSecond, 'contacts/s', null, 'machine');
      emit('crm first sync: server peak RSS (VmHWM)', after.hwm, 'MiB');
      emit('crm no-change sync: wall', againWall, 'ms', null, 'machine');
    }
    if (writeMs > 0) {
      emit(`crm first sync: lead writes/s (${backend})`, contacts / (writeMs / 1000), 'leads/s',
        backend === 'postgresql' ? '>=50000' : null, 'machine');
    }
    return {
      firstCpu, againCpu, rereadCpu, rereadWall, contacts, made, firstMs: first.duration_ms, firstWall, perSecond, leads: summary.counts.leads,
      hwmBefore: before.hwm, hwmAfter: after.hwm, rssAfter: after.rss, againWall, againMs: second.duration_ms,
      noChange, again: r,
    };
  });
}

const sim = await startSim();
const results = {};
let failed = false;
try {
  for (const [name, fn] of [['voice', voiceBench], ['crm', crmBench]]) {
    if (only && only !== name) continue;
    try {
      results[name] = await fn(sim);
    } catch (e) {
      failed = true;
      console.log(`  ${name} FAILED: ${e.message}`);
    }
  }
} finally {
  await sim.stop();
  if (pgAdminUrl) {
    try { execFileSync(postgresScript, ['stop', pgDir], { stdio: 'ignore' }); } catch { /* stopped */ }
    rmSync(pgDir, { recursive: true, force: true });
  }
}

console.log('\n| benchmark | figure | value |\n| --- | --- | --- |');
const row = (b, f, v) => console.log(`| ${b} | ${f} | ${v} |`);
if (results.voice) {
  const v = results.voice;
  const s = v.shape;
  row('voice', 'account', `${s.agents} agents, ${s.phone_numbers} numbers, ${v.made.batches} campaigns, ${fmtInt(v.made.executions)} executions`);
  row('voice', 'first full sync (run duration_ms)', fmtMs(v.firstMs));
  row('voice', 'first full sync (PUT settings → run finished)', fmtMs(v.firstWall));
  row('voice', 'no-change sync (POST /api/tenant/sync wall)', fmtMs(v.againWall));
  row('voice', 'no-change sync (run duration_ms)', fmtMs(v.againMs));
  row('voice', 'no-change sync created/updated/archived all 0', String(v.noChange));
  row('voice', 'CPU s server / simulator: first sync', `${v.firstCpu.serverCpu.toFixed(1)} / ${v.firstCpu.simCpu.toFixed(1)}`);
  row('voice', 'CPU s server / simulator: no-change sync', `${v.againCpu.serverCpu.toFixed(1)} / ${v.againCpu.simCpu.toFixed(1)}`);
  row('voice', 'server VmHWM before / after first sync', `${v.hwmBefore.toFixed(1)} / ${v.hwmAfterFirst.toFixed(1)} MiB`);
}
if (results.crm) {
  const c = results.crm;
  row('crm', 'contacts (leads in mirror)', `${fmtInt(c.contacts)} (${fmtInt(c.leads)})`);
  row('crm', 'first sync (run duration_ms)', fmtMs(c.firstMs));
  row('crm', 'first sync throughput', `${fmtInt(c.perSecond)} contacts/s`);
  row('crm', 'server VmHWM before connect / after first sync', `${c.hwmBefore.toFixed(1)} / ${c.hwmAfter.toFixed(1)} MiB`);
  row('crm', 'CPU s server / simulator: first sync', `${c.firstCpu.serverCpu.toFixed(1)} / ${c.firstCpu.simCpu.toFixed(1)}`);
  row('crm', 'CPU s server / simulator: no-change sync', `${c.againCpu.serverCpu.toFixed(1)} / ${c.againCpu.simCpu.toFixed(1)}`);
  row('crm', 'no-change sync (POST /api/crm/sync wall)', fmtMs(c.againWall));
  row('crm', 'no-change sync (run duration_ms)', fmtMs(c.againMs));
  row('crm', 'no-change sync created/updated 0', String(c.noChange));
  row('crm', 'full re-read (cursor cleared) wall', fmtMs(c.rereadWall));
  row('crm', 'CPU s server / simulator: full re-read', `${c.rereadCpu.serverCpu.toFixed(2)} / ${c.rereadCpu.simCpu.toFixed(2)}`);
}
process.exitCode = failed ? 1 : 0;
