#!/usr/bin/env node
// The cluster scale figure: 200 tenants' first voice syncs on 1 instance, then on 3 instances
// sharing one PostgreSQL, against the simulator answering every call after 100 ms (latency-bound
// work, as real upstreams are). Prints the wall times, their ratio and the peak number of database
// connections (pg_stat_activity). A figure, not a test: it asserts nothing about speed.
// Usage: node bench/cluster_bench.mjs [--tenants 200] [--latency-ms 100] [--instances 1,3]
// Binaries: TENANTSYNC_BIN / TENANTSYNC_SIM_BIN (default build/release/…).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

/** Runs `count` async jobs, `width` at a time. */
async function inBatches(count, width, fn) {
  for (let start = 0; start < count; start += width) {
    await Promise.all(Array.from({ length: Math.min(width, count - start) }, (_, j) => fn(start + j)));
  }
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
    await inBatches(tenantCount, 20, async (i) => {
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
    // The runs themselves, first queued to last finished, from the database.
    const runsMs = Number(psql(dbUrl, 'SELECT MAX(finished_at) - MIN(created_at) FROM sync_runs'));
    const byInstance = servers.map((s) => (s.proc.output().match(/event=run_finished/g) ?? []).length);
    polling = false;
    await poller;
    return { instances, wallMs, runsMs, peak, byInstance };
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
    results.push(r);
  }
} finally {
  await sim.stop();
  try { execFileSync(postgresScript, ['stop', pgDir], { stdio: 'ignore' }); } catch { /* stopped */ }
  rmSync(pgDir, { recursive: true, force: true });
}

console.log('\n| instances | wall (first PUT → last run finished) | runs (first queued → last finished) | peak DB connections | runs per instance |');
console.log('| --- | --- | --- | --- | --- |');
for (const r of results) {
  console.log(`| ${r.instances} | ${(r.wallMs / 1000).toFixed(1)} s | ${(r.runsMs / 1000).toFixed(1)} s | ${r.peak} | ${r.byInstance.join(' / ')} |`);
}
if (results.length >= 2) {
  const [a, b] = [results[0], results[results.length - 1]];
  console.log(`\nratio ${a.instances} → ${b.instances} instances: wall ${(a.wallMs / b.wallMs).toFixed(2)}×, runs ${(a.runsMs / b.runsMs).toFixed(2)}×`);
}
