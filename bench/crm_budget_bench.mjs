#!/usr/bin/env node
// The CRM first sync inside HubSpot's rate limits: the simulator's Professional limits (190
// calls per rolling 10 s, search 5 a second), a first sync of generated contacts, and how close
// it comes to the time the budget allows. Prints figures, asserts nothing about speed; one JSON
// line per figure on stdout (docs/benchmarks.md, "Figures"), collected by bench/run.sh.
//
// The time the budget allows for C budgeted calls: a rolling window of W = 10 s admits at most
// B = 190 calls in any W, so the fastest possible client sends calls 1..B at once, B+1..2B at W,
// and so on: the last call cannot go before W × floor((C − 1) / B). The sync's time is the run's
// duration_ms; share of the budget = calls made / calls the budget admits in that time.
// Then a sync of changes in which every contact changed, and its contacts/s.
// Usage: node bench/crm_budget_bench.mjs [--scale 0.01] [--limit-s 600]
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

process.env.TENANTSYNC_BIN ??= 'build/release/tenantsync';
process.env.TENANTSYNC_SIM_BIN ??= 'build/release/tenantsync-sim';
const { startSim, startServer, signup } = await import('../tests/functional/lib/harness.mjs');

const args = new Map();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const scale = Number(args.get('scale') ?? 1);
const limitMs = Number(args.get('limit-s') ?? 600) * 1000;

const kBurst = 190;
const kWindowMs = 10_000;
const kSearchPerSecond = 5;

function emit(figure, value, unit, target = null, bound = null) {
  console.log(JSON.stringify({ figure, value, unit, target, bound }));
}

/** The earliest the C-th budgeted call can go under a rolling window of kBurst per kWindowMs. */
const budgetMs = (calls) => (calls <= 0 ? 0 : kWindowMs * Math.floor((calls - 1) / kBurst));
/** The calls the rolling window admits within `ms`. */
const admitted = (ms) => kBurst * (Math.floor(ms / kWindowMs) + 1);

async function api(server, method, path, token, body) {
  const res = await server.api(method, path, { token, body });
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
  return res.json;
}

const contacts = Math.max(1, Math.round(100000 * scale));
const portal = 7000002;
const token = 'pat-na1-budget';
const sim = await startSim();
let server;
try {
  await sim.post('/_sim/hubspot/portals', {
    portal_id: portal, tokens: [token], burst_max: kBurst, daily_max: 100000000,
    search_per_second: kSearchPerSecond,
  });
  await sim.post(`/_sim/hubspot/portals/${portal}/contacts/generate`, { contacts, owners: 5, days: 90, seed: 7 });
  server = await startServer({
    env: {
      TENANTSYNC_HUBSPOT_URL: sim.url, TENANTSYNC_BOLNA_URL: sim.url, TENANTSYNC_VOICE_SCHEDULE: 'off',
      TENANTSYNC_CRM_SCHEDULE: 'off', TENANTSYNC_SYNC_WAIT: '30m', TENANTSYNC_LOG_LEVEL: 'warn',
    },
  });
  const t = await signup(server, 'Bench Budget');
  await sim.del('/_sim/requests');
  const res = await server.api('POST', '/api/crm/connect', { token: t.token, body: { provider: 'hubspot', access_token: token } });
  if (res.status !== 202) throw new Error(`connect: ${res.status} ${res.text}`);
  const started = Date.now();
  let run;
  for (;;) {
    run = await api(server, 'GET', `/api/sync/runs/${res.json.run_id}`, t.token);
    if (run.state !== 'queued' && run.state !== 'running') break;
    if (Date.now() - started > limitMs) throw new Error(`first sync still ${run.state} after ${limitMs} ms`);
    await sleep(200);
  }
  if (run.state !== 'succeeded') throw new Error(`first sync ${run.state}: ${JSON.stringify(run.error)}`);
  const { requests, dropped } = await sim.get('/_sim/requests');
  // The run's calls: the connect's account check came before it, in the request and not timed.
  const crm = requests.filter((r) => r.path.startsWith('/crm/'));
  const refused = crm.filter((r) => r.status === 429).length;
  const budgeted = crm.filter((r) => r.status !== 429 && !r.path.startsWith('/crm/v3/objects/contacts/search')).length;
  const searches = crm.filter((r) => r.status !== 429 && r.path.startsWith('/crm/v3/objects/contacts/search')).length;
  const ms = run.duration_ms;
  const allowedMs = budgetMs(budgeted);
  console.log(`  budget: ${contacts} contacts, run ${ms} ms, ${budgeted} budgeted calls + ${searches} searches, ` +
    `${refused} × 429${dropped ? ` (${dropped} log entries dropped)` : ''}; the budget allows ${allowedMs} ms`);
  emit('crm first sync, Professional limits: contacts/s', contacts / (ms / 1000), 'contacts/s', '>=2500');
  emit('crm first sync, Professional limits: time / time the budget allows', allowedMs > 0 ? ms / allowedMs : null,
    'ratio', '<=1.05');
  emit('crm first sync, Professional limits: share of the rate budget used', budgeted / admitted(ms), 'ratio');
  emit('crm first sync, Professional limits: 429 answers', refused, 'count', '<=0');

  // A sync of changes where every contact changed (a bulk edit or an import in the CRM): the
  // cursor is moved back before every contact's last change (they were made over 90 days), once
  // the rolling window has emptied. Search alone reads 1,000 contacts a second at most; from 5,000
  // changes that are a third of the contacts, the sync reads everything from both ends instead
  // (docs/sync.md). At --scale 0.01 (1,000 contacts) it reads the changes through search.
  await sleep(kWindowMs);
  const db = server.databaseUrl.replace(/^sqlite:/, '');
  execFileSync('sqlite3', ['-cmd', '.timeout 10000', db,
    `UPDATE crm_connections SET cursor = '{"phase":"incremental","modified_after_ms":${Date.now() - 100 * 86400000}}'`]);
  await sim.del('/_sim/requests');
  const again = await api(server, 'POST', '/api/crm/sync', t.token);
  const changedRun = await api(server, 'GET', `/api/sync/runs/${again.results[0].run_id}`, t.token);
  if (changedRun.state !== 'succeeded') throw new Error(`sync of changes ${changedRun.state}: ${JSON.stringify(changedRun.error)}`);
  const after = (await sim.get('/_sim/requests')).requests.filter((r) => r.path.startsWith('/crm/'));
  const changedMs = changedRun.duration_ms;
  console.log(`  every contact changed: run ${changedMs} ms, ${JSON.stringify(changedRun.counts?.leads)}, ` +
    `${after.length} calls, ${after.filter((r) => r.status === 429).length} × 429`);
  emit('crm sync of changes, every contact changed, Professional limits: contacts/s', contacts / (changedMs / 1000),
    'contacts/s', '>=2500');
  emit('crm sync of changes, every contact changed, Professional limits: 429 answers',
    after.filter((r) => r.status === 429).length, 'count', '<=0');
} finally {
  if (server) await server.stop();
  await sim.stop();
}
