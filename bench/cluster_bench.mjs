#!/usr/bin/env node
// The cluster scale figure: 200 tenants' first voice syncs on 1 instance, then on 3 instances
// sharing one PostgreSQL, against the simulator answering every call after 100 ms (latency-bound
// work, as real upstreams are). Prints the wall times, their ratio and the peak number of database
// connections (pg_stat_activity). A figure, not a test: it asserts nothing about speed.
// Usage: node bench/cluster_bench.mjs [--tenants 200] [--latency-ms 100] [--instances 1,3]
// Binaries: TENANTSYNC_BIN / TENANTSYNC_SIM_BIN (default build/release/…).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

process.env.TENANTSYNC_BIN ??= 'build/release/tenantsync';
process.env.TENANTSYNC_SIM_BIN ??= 'build/release/tenantsync-sim';
const { startSim, startServer, request } = await import('../tests/functional/lib/harness.mjs');

const args = new Map();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const tenantCount = Number(args.get('tenants') ?? 200);
const latencyMs = Number(args.get('latency-ms') ?? 100);
const sizes = (args.get('instances') ?? '1,3').split(',').map(Number);

const postgresScript = fileURLToPath(new URL('../tests/support/postgres.sh', import.meta.url));
// postgres.sh hands its folder to the postgres user: not inside a folder only root may enter.
const pgDir = join(tmpdir(), `tenantsync-bench-pg-${process.pid}`);

const psql = (url, sql) => execFileSync('psql', [url, '-At', '-c', sql], { encoding: 'utf8' }).trim();

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat (100 ticks/s). */
function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Busy CPU seconds of the whole machine so far (every core; /proc/stat, 100 ticks/s). */
function machineBusySeconds() {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const idle = ticks[3] + ticks[4];  // idle + iowait
  return (ticks.reduce((a, b) => a + b, 0) - idle) / 100;
}

/**
 * Runs `count` async jobs with `width` in flight: each lane takes the next job as soon as its last
 * one ends. (Not in lock-step batches: a batch waits for its slowest job, and since saving a key
 * waits for the first sync, 20 jobs on 6 workers would leave workers idle at every batch's end.)
 */
async function inFlight(count, width, fn) {
  let next = 0;
  const lane = async () => {
    while (next < count) await fn(next++);
  };
  await Promise.all(Array.from({ length: Math.min(width, count) }, lane));
}

async function measure(sim, adminUrl, instances) {
  const dbName = `bench_cluster_${instances}_${process.pid}`;
  psql(adminUrl, `CREATE DATABASE ${dbName}`);
  const dbUrl = adminUrl.replace('/postgres?', `/${dbName}?`);
  const dir = mkdtempSync(join(tmpdir(), 'tenantsync-bench-cluster-'));
  const servers = [];
  let peak = 0;
  let polling = true;
  try {
    for (let i = 0; i < instances; ++i) {
      // One after the other: the first creates the shared key file and migrates.
      servers.push(await startServer({
        dir, databaseUrl: dbUrl,
        env: {
          TENANTSYNC_BOLNA_URL: sim.url, TENANTSYNC_INSTANCE_ID: `bench-${i}`,
          TENANTSYNC_VOICE_SCHEDULE: 'off', TENANTSYNC_CRM_SCHEDULE: 'off',
          TENANTSYNC_LOG_LEVEL: 'info',  // its run_finished lines count the runs per instance
        },
      }));
    }
    const poller = (async () => {
      while (polling) {
        peak = Math.max(peak, Number(psql(adminUrl, `SELECT COUNT(*) FROM pg_stat_activity WHERE datname = '${dbName}'`)));
        await sleep(200);
      }
    })();
    // Sign-ups and keys go round robin to the instances, as a balancer would send them; saving a
    // key queues the tenant's first sync, which any instance may claim.
    const started = Date.now();
    const cpu0 = { servers: servers.reduce((a, s) => a + cpuSeconds(s.proc.pid), 0), sim: cpuSeconds(sim.proc.pid), machine: machineBusySeconds() };
    await inFlight(tenantCount, 20, async (i) => {
      const server = servers[i % servers.length];
      const signup = await request(server.baseUrl, 'POST', '/api/auth/signup', {
        body: { tenant_name: `Bench ${i}`, email: `bench-${instances}-${i}@example.com`, password: 'correct horse battery' },
      });
      if (signup.status !== 201) throw new Error(`signup: ${signup.status} ${signup.text}`);
      const put = await request(server.baseUrl, 'PUT', '/api/tenant/settings', {
        token: signup.json.token, body: { voice_api_key: `bn-bench-${i}` },
      });
      if (put.status !== 200) throw new Error(`settings: ${put.status} ${put.text}`);
    });
    for (;;) {
      const [open, done] = psql(dbUrl, "SELECT COUNT(*) FILTER (WHERE state IN ('queued','running')), COUNT(*) FILTER (WHERE state = 'succeeded') FROM sync_runs").split('|').map(Number);
      if (open === 0 && done >= tenantCount) break;
      if (open === 0) throw new Error(`only ${done} of ${tenantCount} first syncs succeeded`);
      await sleep(200);
    }
    const wallMs = Date.now() - started;
    // Where the CPU went: a wall time near (machine CPU / cores) is bound by the machine, not the design.
    const cpu = {
      servers: servers.reduce((a, s) => a + cpuSeconds(s.proc.pid), 0) - cpu0.servers,
      sim: cpuSeconds(sim.proc.pid) - cpu0.sim,
      machine: machineBusySeconds() - cpu0.machine,
    };
    // The runs themselves, first queued to last finished, from the database.
    const runsMs = Number(psql(dbUrl, 'SELECT MAX(finished_at) - MIN(created_at) FROM sync_runs'));
    // One run's own time (claimed → finished) and the queue wait before it, on average.
    const [runMs, waitMs] = psql(dbUrl, 'SELECT ROUND(AVG(finished_at - started_at)), ROUND(AVG(started_at - created_at)) FROM sync_runs').split('|').map(Number);
    const byInstance = servers.map((s) => (s.proc.output().match(/event=run_finished/g) ?? []).length);
    polling = false;
    await poller;
    return { instances, wallMs, runsMs, runMs, waitMs, peak, byInstance, cpu };
  } finally {
    polling = false;
    for (const s of servers) await s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

execFileSync(postgresScript, ['start', pgDir], { stdio: 'ignore' });
const adminUrl = readFileSync(join(pgDir, 'url'), 'utf8').trim();
// A real upstream serves many clients at once: with the default 8 threads the simulator's latency
// fault would make it the bottleneck (8 threads / 100 ms = 80 calls/s for every instance together).
const sim = await startSim({ threads: 128 });
const results = [];
try {
  for (let i = 0; i < tenantCount; ++i) {
    const id = `acct-bench-${i}`;
    await sim.post('/_sim/bolna/accounts', { id, key: `bn-bench-${i}` });
    await sim.post(`/_sim/bolna/accounts/${id}/generate`, { agents: 1, phone_numbers: 1, batches: 1, executions: 20, days: 5, seed: i + 1 });
  }
  // Every upstream call answers after latencyMs (the simulator's latency fault on every path).
  await sim.post('/_sim/faults', { path_pattern: '/', latency_ms: latencyMs });
  for (const n of sizes) {
    console.log(`${n} instance(s): ${tenantCount} first syncs, upstream latency ${latencyMs} ms ...`);
    const r = await measure(sim, adminUrl, n);
    console.log(`  wall ${(r.wallMs / 1000).toFixed(1)} s (runs ${(r.runsMs / 1000).toFixed(1)} s), peak ${r.peak} database connections, runs per instance ${r.byInstance.join(' / ')}`);
    console.log(`  one run ${r.runMs} ms on average (claimed → finished), ${r.waitMs} ms queued before it`);
    console.log(`  CPU s: servers ${r.cpu.servers.toFixed(1)}, simulator ${r.cpu.sim.toFixed(1)}, whole machine ${r.cpu.machine.toFixed(1)} of ${((r.wallMs / 1000) * cpus().length).toFixed(1)} available`);
    results.push(r);
  }
} finally {
  await sim.stop();
  try { execFileSync(postgresScript, ['stop', pgDir], { stdio: 'ignore' }); } catch { /* stopped */ }
  rmSync(pgDir, { recursive: true, force: true });
}

console.log(`\n${cpus().length} cores, load average at the end ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log('\n| instances | wall (first PUT → last run finished) | runs (first queued → last finished) | peak DB connections | runs per instance | CPU s servers / simulator / machine |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const r of results) {
  console.log(`| ${r.instances} | ${(r.wallMs / 1000).toFixed(1)} s | ${(r.runsMs / 1000).toFixed(1)} s | ${r.peak} | ${r.byInstance.join(' / ')} | ${r.cpu.servers.toFixed(1)} / ${r.cpu.sim.toFixed(1)} / ${r.cpu.machine.toFixed(1)} |`);
}
if (results.length >= 2) {
  const [a, b] = [results[0], results[results.length - 1]];
  console.log(`\nratio ${a.instances} → ${b.instances} instances: wall ${(a.wallMs / b.wallMs).toFixed(2)}×, runs ${(a.runsMs / b.runsMs).toFixed(2)}×`);
}
