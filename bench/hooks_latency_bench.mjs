#!/usr/bin/env node
// Latency of changes pushed in, against the real binaries (tenantsync on SQLite + tenantsync-sim
// sending real webhooks): prints one JSON line per figure, asserts nothing.
//   hubspot_change_to_lead_p95: a contact changed through the simulator's control API → the lead
//     shows the change in GET /api/leads (target 2 s);
//   bolna_completed_to_execution_p95: a call's "completed" status change in the simulator → the
//     execution is completed in GET /api/executions (target 1 s).
// Each over 1,000 events (× --scale). Latencies include the polling of this script (every 20 ms).
// Usage: node bench/hooks_latency_bench.mjs [--scale 0.01] [--concurrency 20]
// Binaries: TENANTSYNC_BIN / TENANTSYNC_SIM_BIN (default build/release/…).
import { setTimeout as sleep } from 'node:timers/promises';

process.env.TENANTSYNC_BIN ??= 'build/release/tenantsync';
process.env.TENANTSYNC_SIM_BIN ??= 'build/release/tenantsync-sim';
const { startSim, startServer, signup, request } = await import('../tests/functional/lib/harness.mjs');

const args = new Map();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const scale = Number(args.get('scale') ?? 1);
const concurrency = Number(args.get('concurrency') ?? 20);
const events = Math.max(1, Math.round(1000 * scale));
const SECRET = 'bench-hubspot-secret';

const p95 = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)]; };
const figure = (name, value, target) =>
  console.log(JSON.stringify({ figure: name, value: Math.round(value), unit: 'ms', target, bound: null }));

async function waitFor(check, ms) {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v || Date.now() > until) return v;
    await sleep(20);
  }
}

/** Runs fn(i) for i in [0, count) with `concurrency` at once. */
async function pool(count, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) await fn(next++);
  }));
}

const sim = await startSim();
const server = await startServer({
  env: {
    TENANTSYNC_BOLNA_URL: sim.url, TENANTSYNC_HUBSPOT_URL: sim.url, TENANTSYNC_VOICE_SCHEDULE: 'off',
    TENANTSYNC_CRM_SCHEDULE: 'off', TENANTSYNC_HUBSPOT_CLIENT_SECRET: SECRET, TENANTSYNC_LOG_LEVEL: 'warn',
  },
});
try {
  // HubSpot: one portal with `events` contacts, each changed once.
  const portal = 7_000_001;
  await sim.post('/_sim/hubspot/portals', { portal_id: portal, tokens: ['pat-bench'], search_per_second: 0, burst_max: 100000 });
  const contacts = await sim.post(`/_sim/hubspot/portals/${portal}/contacts`,
    Array.from({ length: events }, (_, i) => ({ properties: { firstname: `C${i}`, email: `c${i}@bench.example` } })));
  const t = await signup(server, 'Bench');
  const connect = await server.api('POST', '/api/crm/connect', { token: t.token, body: { provider: 'hubspot', access_token: 'pat-bench' } });
  if (connect.status !== 202) throw new Error(`connect: ${connect.status} ${connect.text}`);
  await waitFor(async () => (await server.api('GET', '/api/leads?limit=1&q=bench.example', { token: t.token })).json?.items?.length, 60_000);
  await waitFor(async () => {
    const runs = (await server.api('GET', '/api/sync/runs?limit=5', { token: t.token })).json?.items ?? [];
    return runs.length && runs.every((r) => !['queued', 'running'].includes(r.state));
  }, 120_000);
  await request(sim.url, 'PUT', '/_sim/hubspot/webhooks', { body: { target_url: server.baseUrl + '/hooks/hubspot', client_secret: SECRET, delay_ms: 0 } });
  const hubspot = [];
  await pool(events, async (i) => {
    const email = `changed${i}@bench.example`;
    const started = Date.now();
    await sim.patch(`/_sim/hubspot/portals/${portal}/contacts/${contacts[i].id}`, { properties: { email } });
    const seen = await waitFor(async () =>
      (await server.api('GET', `/api/leads?limit=1&q=${encodeURIComponent(email)}`, { token: t.token })).json?.items?.length, 30_000);
    hubspot.push(seen ? Date.now() - started : 30_000);
  });
  figure('hubspot_change_to_lead_p95', p95(hubspot), '<=2000');

  // Bolna: one account, one agent with the tenant's webhook URL, `events` calls.
  await sim.post('/_sim/bolna/accounts', { id: 'acct-bench', key: 'bn-bench' });
  await sim.post('/_sim/bolna/accounts/acct-bench/agents', { id: 'agent-bench', agent_name: 'Bench' });
  const v = await signup(server, 'Bench voice');
  await server.api('PUT', '/api/tenant/settings', { token: v.token, body: { voice_api_key: 'bn-bench' } });
  await waitFor(async () => (await server.api('GET', '/api/agents', { token: v.token })).json?.items?.length, 30_000);
  const url = (await server.api('GET', '/api/tenant/settings', { token: v.token })).json.call_webhook_url;
  // As a person does it in Settings: tenantsync sets the agent's webhook_url through the Bolna API.
  const pointed = await server.api('POST', '/api/tenant/call-webhook/agents', { token: v.token, body: { enabled: true } });
  if (pointed.status !== 200 || pointed.json.changed !== 1) throw new Error(`pointing the agent: ${pointed.status} ${pointed.text}`);
  const bolna = [];
  const completedAfter = 200;
  await pool(events, async (i) => {
    const id = `exec-bench-${i}`;
    const started = Date.now();
    await sim.post('/_sim/bolna/accounts/acct-bench/agents/agent-bench/calls', { id, in_progress_after_ms: 50, completed_after_ms: completedAfter });
    const seen = await waitFor(async () => {
      const items = (await server.api('GET', `/api/executions?limit=1&q=${id}`, { token: v.token })).json?.items ?? [];
      return items.find((e) => e.upstream_id === id && e.status === 'completed');
    }, 30_000);
    bolna.push(seen ? Math.max(0, Date.now() - started - completedAfter) : 30_000);
  });
  figure('bolna_completed_to_execution_p95', p95(bolna), '<=1000');
} finally {
  await server.stop();
  await sim.stop();
}
