#!/usr/bin/env node
// Voice memory and no-change time (issue 11, target 4), against the real binaries (tenantsync on
// SQLite + tenantsync-sim): for 100,000 and 1,000,000 executions (100 agents), a first full sync
// and a no-change sync on a fresh server each, with the server's peak RSS (VmHWM, reset between
// the two syncs through /proc/<pid>/clear_refs), wall times and CPU seconds. A figure, not a
// test: it asserts nothing.
// Prints one JSON line per figure on stdout:
//   {"figure", "value", "unit", "target", "bound": "machine"|null, "load": [1, 5, 15 min]}
// and human text on stderr. Usage:
//   node bench/voice_memory_bench.mjs [--scale 0.01] [--sizes 100000,1000000] [--limit-s 1800]
// Binaries: TENANTSYNC_BIN / TENANTSYNC_SIM_BIN (default build/release/…).
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg, cpus } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

process.env.TENANTSYNC_BIN ??= 'build/release/tenantsync';
process.env.TENANTSYNC_SIM_BIN ??= 'build/release/tenantsync-sim';
const { startSim, startServer, signup } = await import('../tests/functional/lib/harness.mjs');

const args = new Map();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const scale = Number(args.get('scale') ?? 1);
const sizes = (args.get('sizes') ?? '100000,1000000').split(',').map(Number);
const limitMs = Number(args.get('limit-s') ?? 1800) * 1000;

const log = (...parts) => console.error(...parts);
const label = (executions) => (executions >= 1e6 ? `${executions / 1e6}m` : `${executions / 1e3}k`);
const load = () => loadavg().map((x) => Number(x.toFixed(2)));

/** One figure on stdout, for bench/run.sh's table. */
function figure(name, value, unit, target = null, bound = null) {
  const line = { figure: name, value: Number(value.toFixed(3)), unit, target, bound, load: load(), cores: cpus().length };
  console.log(JSON.stringify(line));
  log(`  ${name} = ${line.value} ${unit}${target ? ` (target ${target})` : ''}`);
}

function status(pid) {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  return (key) => Number(text.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'))[1]) / 1024;
}
/** Peak RSS (VmHWM) in MiB. */
const hwm = (pid) => status(pid)('VmHWM');
/** Resets the peak RSS to the current RSS ("5" to clear_refs, Linux ≥ 4.0). */
const resetHwm = (pid) => writeFileSync(`/proc/${pid}/clear_refs`, '5');
/** CPU seconds (user + system) a process has used so far (100 ticks/s). */
function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function api(server, method, path, token, body) {
  const res = await server.api(method, path, { token, body });
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
  return res.json;
}

async function waitRun(server, token, runId, what) {
  const started = Date.now();
  let reported = started;
  for (;;) {
    const run = await api(server, 'GET', `/api/sync/runs/${runId}`, token);
    if (run.state !== 'queued' && run.state !== 'running') return run;
    if (Date.now() - reported >= 15000) {
      reported = Date.now();
      log(`  … ${what}: ${run.state} after ${((Date.now() - started) / 1000).toFixed(0)} s, ${JSON.stringify(run.progress)}`);
    }
    if (Date.now() - started > limitMs) throw new Error(`${what}: run ${runId} still ${run.state}`);
    await sleep(200);
  }
}

async function one(executions) {
  const agents = Math.max(1, Math.round(100 * Math.min(1, scale * 10)));
  const tag = label(Math.round(executions / scale));
  log(`\n== voice ${tag}: ${executions} executions, ${agents} agents (load ${load().join(' ')})`);
  const sim = await startSim();
  let server;
  try {
    const id = 'acct-bench';
    const key = 'bn-bench-key';
    await sim.post('/_sim/bolna/accounts', { id, key });
    const t0 = Date.now();
    // In slices, so no single control call runs for long.
    const slice = 100000;
    for (let done = 0, first = true; done < executions || first; first = false) {
      const count = Math.min(slice, executions - done);
      await sim.post(`/_sim/bolna/accounts/${id}/generate`, first
        ? { agents, phone_numbers: 2 * agents, batches: 10, executions: count, days: 25, seed: 1 }
        : { agents: 0, phone_numbers: 0, batches: 0, executions: count, days: 25, seed: 1 });
      done += count;
    }
    log(`  simulator generated the account in ${((Date.now() - t0) / 1000).toFixed(1)} s, ` +
      `simulator RSS ${hwm(sim.proc.pid).toFixed(0)} MiB`);

    server = await startServer({
      env: {
        TENANTSYNC_BOLNA_URL: sim.url,
        TENANTSYNC_VOICE_SCHEDULE: 'off',
        TENANTSYNC_CRM_SCHEDULE: 'off',
        TENANTSYNC_SYNC_WAIT: '30m',
        TENANTSYNC_LOG_LEVEL: 'warn',
      },
    });
    const pid = server.proc.pid;
    const t = await signup(server, 'Bench Voice');
    const idle = hwm(pid);
    let cpu0 = cpuSeconds(pid);
    let wall0 = Date.now();
    const put = await api(server, 'PUT', '/api/tenant/settings', t.token, { voice_api_key: key });
    const first = await waitRun(server, t.token, put.sync.run_id, 'first sync');
    const firstWall = (Date.now() - wall0) / 1000;
    const firstCpu = cpuSeconds(pid) - cpu0;
    if (first.state !== 'succeeded') throw new Error(`first sync ${first.state}: ${JSON.stringify(first.error)}`);
    const firstPeak = hwm(pid);
    const summary = await api(server, 'GET', '/api/tenant/summary', t.token);
    log(`  first sync: ${JSON.stringify(first.counts.executions)}; mirror ${JSON.stringify(summary.counts)}; ` +
      `VmHWM idle ${idle.toFixed(1)} MiB`);
    if (summary.counts.executions !== executions)
      throw new Error(`the mirror holds ${summary.counts.executions} executions, not ${executions}`);

    // The first write after the first sync waits for SQLite to fold that sync's write-ahead log
    // into the database (its checkpoint: the first sync's own deferred I/O; measured at 100,000
    // executions, a one-lead write right after took 837 ms against a 186 MB log). A no-change sync
    // as the schedule runs it comes long after; so the one right after is a figure of its own
    // (first_no_change) and the next one is the no-change figure.
    const settleStarted = Date.now();
    const settle = await api(server, 'POST', '/api/tenant/sync', t.token, {});
    const settleWall = (Date.now() - settleStarted) / 1000;
    log(`  no-change sync right after the first: ${settleWall.toFixed(2)} s (run ${settle.run_id})`);
    resetHwm(pid);
    cpu0 = cpuSeconds(pid);
    wall0 = Date.now();
    const again = await api(server, 'POST', '/api/tenant/sync', t.token, {});
    const againWall = (Date.now() - wall0) / 1000;
    const againCpu = cpuSeconds(pid) - cpu0;
    const againPeak = hwm(pid);
    const second = await api(server, 'GET', `/api/sync/runs/${again.run_id}`, t.token);
    const changed = Object.values(again.resources ?? {})
      .reduce((sum, c) => sum + c.created + c.updated + c.archived + c.restored, 0);
    log(`  no-change sync: ${second.state}, ${changed} changes, duration_ms ${second.duration_ms}`);
    if (second.state !== 'succeeded' || changed !== 0) throw new Error('the no-change sync changed something');

    figure(`voice.${tag}.first_sync.wall`, firstWall, 's', null, 'machine');
    figure(`voice.${tag}.first_sync.server_cpu`, firstCpu, 'CPU-s');
    figure(`voice.${tag}.first_sync.peak_rss`, firstPeak, 'MiB', '<= 64');
    figure(`voice.${tag}.first_no_change.wall`, settleWall, 's', null, 'machine');
    figure(`voice.${tag}.no_change.wall`, againWall, 's', tag === '100k' ? '<= 0.1' : null, 'machine');
    figure(`voice.${tag}.no_change.server_cpu`, againCpu, 'CPU-s');
    figure(`voice.${tag}.no_change.peak_rss`, againPeak, 'MiB', '<= 64');
  } catch (e) {
    // What the server logged (warnings and errors) says why; it goes with the server otherwise.
    if (server) log(`  the server's last output:\n${server.proc.output().slice(-8000)}`);
    throw e;
  } finally {
    if (server) await server.stop();
    await sim.stop();
  }
}

for (const size of sizes) await one(Math.max(100, Math.round(size * scale)));
