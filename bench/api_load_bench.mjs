#!/usr/bin/env node
// The API under load (issue 11, target 6), against the real binaries (tenantsync on SQLite +
// tenantsync-sim): wrk with 64 connections on GET /api/tenant/summary and on a 20-lead page of
// GET /api/leads, each while another tenant's first CRM sync of HubSpot contacts runs on the same
// server (300,000 at scale 1, so that it outlasts wrk's window: 100,000 take about 5 s; the share
// of the window the sync ran is printed), the load generator on the same machine; /healthz as the
// server's floor. A figure, not a test: it asserts nothing about speed.
// Prints one JSON line per figure on stdout:
//   {"figure", "value", "unit", "target", "bound": "machine"|null, "load": [1, 5, 15 min]}
// and human text on stderr. Needs wrk (scripts/install-deps.sh --bench). Usage:
//   node bench/api_load_bench.mjs [--scale 0.01] [--duration-s 10] [--connections 64]
// Binaries: TENANTSYNC_BIN / TENANTSYNC_SIM_BIN (default build/release/…).
import { execFile } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';

process.env.TENANTSYNC_BIN ??= 'build/release/tenantsync';
process.env.TENANTSYNC_SIM_BIN ??= 'build/release/tenantsync-sim';
const { startSim, startServer, signup } = await import('../tests/functional/lib/harness.mjs');
const run = promisify(execFile);

const args = new Map();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const scale = Number(args.get('scale') ?? 1);
const durationS = Number(args.get('duration-s') ?? (scale < 1 ? 2 : 10));
const connections = Number(args.get('connections') ?? 64);
const contacts = Math.max(100, Math.round(100000 * scale));

const log = (...parts) => console.error(...parts);
const load = () => loadavg().map((x) => Number(x.toFixed(2)));

function figure(name, value, unit, target = null, bound = null) {
  const line = { figure: name, value: Number(value.toFixed(3)), unit, target, bound, load: load(), cores: cpus().length };
  console.log(JSON.stringify(line));
  log(`  ${name} = ${line.value} ${unit}${target ? ` (target ${target})` : ''}`);
}

/** wrk's latency ("1.23ms", "456.00us", "1.01s") in milliseconds. */
function ms(text) {
  const m = text.match(/^([\d.]+)(us|ms|s)$/);
  if (!m) throw new Error(`unreadable wrk latency ${text}`);
  return Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2]];
}

/** One wrk run: requests/s, p50 and p99 in ms, non-2xx answers and socket errors. */
async function wrk(url, token) {
  const header = token ? ['-H', `Authorization: Bearer ${token}`] : [];
  const { stdout } = await run('wrk', ['-t', '2', '-c', String(connections), '-d', `${durationS}s`, '--latency',
    ...header, url], { maxBuffer: 1 << 20 });
  const rps = Number(stdout.match(/Requests\/sec:\s+([\d.]+)/)[1]);
  const p50 = ms(stdout.match(/^\s+50%\s+(\S+)/m)[1]);
  const p99 = ms(stdout.match(/^\s+99%\s+(\S+)/m)[1]);
  const non2xx = Number(stdout.match(/Non-2xx or 3xx responses:\s+(\d+)/)?.[1] ?? 0);
  const errors = stdout.match(/Socket errors:.*$/m)?.[0] ?? '';
  return { rps, p50, p99, non2xx, errors };
}

async function api(server, method, path, token, body) {
  const res = await server.api(method, path, { token, body });
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
  return res.json;
}

/** A HubSpot portal of `n` generated contacts, rate limits out of the way. */
async function portal(sim, id, token, n) {
  await sim.post('/_sim/hubspot/portals', {
    portal_id: id, tokens: [token], burst_max: 1000000, daily_max: 100000000, search_per_second: 0,
  });
  await sim.post(`/_sim/hubspot/portals/${id}/contacts/generate`, { contacts: n, owners: 5, days: 90, seed: id });
}

async function connect(server, token, accessToken) {
  const res = await server.api('POST', '/api/crm/connect', { token, body: { provider: 'hubspot', access_token: accessToken } });
  if (res.status !== 202) throw new Error(`connect: ${res.status} ${res.text}`);
  return res.json.run_id;
}

async function waitRun(server, token, runId) {
  for (;;) {
    const r = await api(server, 'GET', `/api/sync/runs/${runId}`, token);
    if (r.state !== 'queued' && r.state !== 'running') return r;
    await sleep(200);
  }
}

const sim = await startSim();
let server;
try {
  server = await startServer({
    env: {
      TENANTSYNC_HUBSPOT_URL: sim.url,
      TENANTSYNC_VOICE_SCHEDULE: 'off',
      TENANTSYNC_CRM_SCHEDULE: 'off',
      TENANTSYNC_LOG_LEVEL: 'warn',
    },
  });
  // The tenant the load reads: a synced CRM of 1,000 contacts, so a page of 20 leads is full.
  const reader = await signup(server, 'Bench Reader');
  await portal(sim, 7100001, 'pat-na1-reader', 1000);
  const readerRun = await waitRun(server, reader.token, await connect(server, reader.token, 'pat-na1-reader'));
  if (readerRun.state !== 'succeeded') throw new Error(`reader sync ${readerRun.state}`);
  const page = await api(server, 'GET', '/api/leads?limit=20', reader.token);
  if ((page.items ?? page.leads ?? []).length !== 20) log(`  warning: the lead page has ${(page.items ?? page.leads ?? []).length} leads`);

  const endpoints = [
    ['summary', '/api/tenant/summary'],
    ['leads', '/api/leads?limit=20'],
  ];
  let portalId = 7200001;
  for (const [name, path] of endpoints) {
    // Another tenant's first CRM sync of 100,000 contacts runs while wrk reads.
    // Three times the contacts: a first sync of 100,000 now takes about 5 s here, half of wrk's
    // window; the sync's share of the window is printed with the figures.
    const writer = await signup(server, `Bench Writer ${name}`);
    const accessToken = `pat-na1-writer-${portalId}`;
    await portal(sim, portalId, accessToken, 3 * contacts);
    const runId = await connect(server, writer.token, accessToken);
    portalId += 1;
    await sleep(300);  // the sync is under way
    log(`\n== ${name}: wrk -c ${connections} -d ${durationS}s ${path} while a CRM sync of ${3 * contacts} contacts runs ` +
      `(load ${load().join(' ')})`);
    const wrkStarted = Date.now();
    const r = await wrk(server.baseUrl + path, reader.token);
    const sync = await api(server, 'GET', `/api/sync/runs/${runId}`, writer.token);
    const syncEnded = sync.finished_at ? Date.parse(sync.finished_at) : Date.now();
    const share = Math.min(1, Math.max(0, (syncEnded - wrkStarted) / (durationS * 1000)));
    log(`  sync ${sync.state} after the load (${JSON.stringify(sync.progress ?? {})}); non-2xx ${r.non2xx} ${r.errors}`);
    if (r.non2xx > 0) throw new Error(`${name}: ${r.non2xx} answers were not 2xx`);
    figure(`api.${name}.req_per_s`, r.rps, 'req/s', '>= 20000', 'machine');
    figure(`api.${name}.p50`, r.p50, 'ms', null, 'machine');
    figure(`api.${name}.p99`, r.p99, 'ms', '<= 10', 'machine');
    figure(`api.${name}.share of the window with the sync running`, share, 'ratio');
    await waitRun(server, writer.token, runId);
  }
  log(`\n== healthz: wrk -c ${connections} -d ${durationS}s, nothing else running`);
  const h = await wrk(`${server.baseUrl}/healthz`);
  figure('api.healthz.req_per_s', h.rps, 'req/s', null, 'machine');
  figure('api.healthz.p99', h.p99, 'ms', null, 'machine');
} finally {
  if (server) await server.stop();
  await sim.stop();
}
