// The voice sync against the real binaries: tenantsync and tenantsync-sim. The seed scenarios
// of issue 3, the guard, dry runs, incremental executions, and the fault matrix (every endpoint
// × every failure kind: the run retries, or the failed listing's resource stays untouched while
// the rest is applied; nothing is archived or lost).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, signup } from './lib/harness.mjs';

let stack;
before(async () => {
  stack = await startStack({
    env: {
      TENANTSYNC_UPSTREAM_TIMEOUT: '1s',
      TENANTSYNC_UPSTREAM_ATTEMPTS: '3',
      TENANTSYNC_VOICE_SCHEDULE: 'off',
      TENANTSYNC_CRM_SCHEDULE: 'off',
    },
  });
});
after(async () => { await stack?.stop(); });

let accountCounter = 0;
/** A fresh simulator account with generated records; returns {id, key, path}. */
async function makeAccount(generate, extra = {}) {
  const id = `acct-f${process.pid}-${accountCounter++}`;
  const key = `bn-${id}`;
  await stack.sim.post('/_sim/bolna/accounts', { id, key, ...extra });
  const path = `/_sim/bolna/accounts/${id}`;
  if (generate) await stack.sim.post(`${path}/generate`, { seed: accountCounter, ...generate });
  return { id, key, path };
}

/** Saves a key; the sync it starts is waited for (the PUT itself waits at most 5 s). */
async function saveKey(t, key) {
  const put = await stack.api('PUT', '/api/tenant/settings', { token: t.token, body: { voice_api_key: key } });
  if (put.status !== 200 || !put.json.sync || put.json.sync.state !== 'running' && put.json.sync.state !== 'queued') return put;
  for (const until = Date.now() + 60_000; Date.now() < until;) {
    const run = (await stack.api('GET', `/api/sync/runs/${put.json.sync.run_id}`, { token: t.token })).json;
    if (!['queued', 'running'].includes(run.state)) {
      put.json.sync = { run_id: run.id, state: run.state, result: { resources: run.counts } };
      return put;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return put;
}

async function tenantWithKey(key) {
  const t = await signup(stack, 'Voice');
  const put = await saveKey(t, key);
  assert.equal(put.status, 200, put.text);
  return { ...t, put: put.json };
}

const sync = (t, body) => stack.api('POST', '/api/tenant/sync', { token: t.token, body: body ?? {} });
const summary = async (t) => (await stack.api('GET', '/api/tenant/summary', { token: t.token })).json;
const archive = async (t) => (await stack.api('GET', '/api/archive?limit=500', { token: t.token })).json.items;

async function upstreamCounts(account) {
  return (await stack.sim.get(account.path)).counts;
}

test('seed 1: switching the key from account 1 (3 agents) to account 2 (1 agent) shows 1 agent', async () => {
  const t = await tenantWithKey('bn-demo-key-1');
  assert.equal(t.put.sync.state, 'succeeded', JSON.stringify(t.put.sync));
  assert.equal((await summary(t)).counts.agents, 3);

  const put = await saveKey(t, 'bn-demo-key-2');
  assert.equal(put.status, 200, put.text);
  assert.equal(put.json.voice_account_id, 'acct-demo-2');
  assert.equal(put.json.sync.state, 'succeeded');
  const s = await summary(t);
  assert.equal(s.counts.agents, 1);
  assert.equal(s.counts.phone_numbers, 1);
  assert.equal(s.sync_state, 'idle');

  const res = await sync(t);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.message, 'Sync completed');
  assert.equal(res.json.success, true);
  assert.equal(res.json.deleted, 0);
  assert.equal(res.json.resources.agents.total, 1);

  // Switching back brings account 1's records back from the archive.
  const back = await saveKey(t, 'bn-demo-key-1');
  assert.equal(back.json.sync.state, 'succeeded');
  const restored = back.json.sync.result.resources;
  assert.equal(restored.agents.restored, 3);
  assert.equal((await summary(t)).counts.agents, 3);
  const archivedAgents = (await archive(t)).filter((i) => i.resource === 'agents');
  assert.equal(archivedAgents.length, 1);
  assert.equal(archivedAgents[0].archive_reason, 'account_switched');
});

test('seed 2: 5 agents, 2 deleted upstream: 3 remain and deleted is 2', async () => {
  const acct = await makeAccount({ agents: 5, phone_numbers: 0, batches: 0, executions: 0 });
  const t = await tenantWithKey(acct.key);
  assert.equal((await summary(t)).counts.agents, 5);
  const agents = await stack.sim.get(`${acct.path}/agents`);
  const list = Array.isArray(agents) ? agents : agents.items ?? agents.agents;
  await stack.sim.del(`${acct.path}/agents/${list[0].id}`);
  await stack.sim.del(`${acct.path}/agents/${list[1].id}`);
  const res = await sync(t);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.deleted, 2);
  assert.equal(res.json.resources.agents.archived, 2);
  assert.equal(res.json.resources.agents.total, 3);
  assert.equal((await summary(t)).counts.agents, 3);
  const items = (await stack.api('GET', '/api/agents', { token: t.token })).json.items;
  assert.deepEqual(items.map((a) => a.upstream_id).sort(), list.slice(2).map((a) => a.id).sort());
});

test('seed 3: a fresh start matches the upstream exactly, and a second sync changes nothing', async () => {
  const acct = await makeAccount({ agents: 4, phone_numbers: 6, batches: 3, executions: 300, days: 20 });
  const t = await tenantWithKey(acct.key);
  const up = await upstreamCounts(acct);
  const s = await summary(t);
  assert.deepEqual(
    { agents: s.counts.agents, phone_numbers: s.counts.phone_numbers, campaigns: s.counts.campaigns, executions: s.counts.executions },
    { agents: up.agents, phone_numbers: up.phone_numbers, campaigns: up.batches, executions: up.executions });
  const again = await sync(t);
  assert.equal(again.status, 200, again.text);
  for (const r of ['agents', 'phone_numbers', 'campaigns', 'executions']) {
    assert.equal(again.json.resources[r].created, 0, r);
    assert.equal(again.json.resources[r].updated, 0, r);
    assert.equal(again.json.resources[r].archived, 0, r);
  }
  // Lists carry upstream ids and fields, newest first.
  const ex = (await stack.api('GET', '/api/executions?limit=5', { token: t.token })).json;
  assert.equal(ex.items.length, 5);
  assert.ok(ex.next);
  assert.ok(ex.items[0].created_at >= ex.items[4].created_at);
  const page2 = (await stack.api('GET', `/api/executions?limit=5&cursor=${encodeURIComponent(ex.next)}`, { token: t.token })).json;
  assert.ok(page2.items[0].created_at <= ex.items[4].created_at);
  assert.notEqual(page2.items[0].upstream_id, ex.items[4].upstream_id);
});

test('phone numbers, campaigns and executions are reconciled: changes update, removals archive', async () => {
  const acct = await makeAccount({ agents: 2, phone_numbers: 3, batches: 2, executions: 20, days: 5 });
  const t = await tenantWithKey(acct.key);
  const numbers = await stack.sim.get(`${acct.path}/phone_numbers`);
  const numberList = Array.isArray(numbers) ? numbers : numbers.items ?? numbers.phone_numbers;
  await stack.sim.del(`${acct.path}/phone_numbers/${numberList[0].id}`);
  await stack.sim.patch(`${acct.path}/phone_numbers/${numberList[1].id}`, { phone_number: '+14155550199' });
  const agents = await stack.sim.get(`${acct.path}/agents`);
  const agentId = (Array.isArray(agents) ? agents : agents.items ?? agents.agents)[0].id;
  const batches = await stack.sim.get(`${acct.path}/agents/${agentId}/batches`);
  const batchList = Array.isArray(batches) ? batches : batches.items ?? batches.batches;
  await stack.sim.del(`${acct.path}/agents/${agentId}/batches/${batchList[0].batch_id ?? batchList[0].id}`);
  const res = await sync(t);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.resources.phone_numbers.archived, 1);
  assert.equal(res.json.resources.phone_numbers.updated, 1);
  assert.equal(res.json.resources.campaigns.archived, 1);
  assert.equal(res.json.deleted, 2);
  const names = (await stack.api('GET', '/api/phone-numbers', { token: t.token })).json.items.map((n) => n.name);
  assert.ok(names.includes('+14155550199'), JSON.stringify(names));
});

test('executions are read in windows of at most 7 days, then incrementally from the cursor', async () => {
  const acct = await makeAccount({ agents: 1, phone_numbers: 0, batches: 0, executions: 90, days: 25 });
  await stack.sim.del('/_sim/requests');
  const t = await tenantWithKey(acct.key);
  assert.equal((await summary(t)).counts.executions, 90);
  const first = (await stack.sim.get('/_sim/requests?path_prefix=/v2/agent/')).requests
    .filter((r) => r.path.endsWith('/executions'));
  assert.ok(first.length >= 5, `a 30-day history is at least 5 windows, read ${first.length}`);
  for (const r of first) {
    const span = Date.parse(r.query.to) - Date.parse(r.query.from);
    assert.ok(span <= 7 * 24 * 3600 * 1000, `window of ${span} ms`);
  }
  const agents = await stack.sim.get(`${acct.path}/agents`);
  const agentId = (Array.isArray(agents) ? agents : agents.items ?? agents.agents)[0].id;
  await stack.sim.post(`${acct.path}/agents/${agentId}/executions`, { status: 'completed', created_at: new Date().toISOString() });
  await stack.sim.del('/_sim/requests');
  const res = await sync(t);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.resources.executions.created, 1);
  assert.equal(res.json.resources.executions.archived, 0);
  assert.equal(res.json.resources.executions.total, 91);
  const second = (await stack.sim.get('/_sim/requests?path_prefix=/v2/agent/')).requests
    .filter((r) => r.path.endsWith('/executions'));
  assert.equal(second.length, 1, 'an incremental read is one short window');
  assert.ok(Date.now() - Date.parse(second[0].query.from) < 3600 * 1000, second[0].query.from);
});

test('a dry run reports the plan and changes nothing', async () => {
  const acct = await makeAccount({ agents: 4, phone_numbers: 0, batches: 0, executions: 0 });
  const t = await tenantWithKey(acct.key);
  const agents = await stack.sim.get(`${acct.path}/agents`);
  await stack.sim.del(`${acct.path}/agents/${(Array.isArray(agents) ? agents : agents.items ?? agents.agents)[0].id}`);
  const res = await sync(t, { dry_run: true });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.dry_run, true);
  assert.equal(res.json.deleted, 0);
  assert.equal(res.json.would_delete, 1);
  assert.equal(res.json.plan.resources.agents.archive.length, 1);
  assert.equal((await summary(t)).counts.agents, 4);
  assert.equal((await archive(t)).length, 0);
});

test('emptying the agent list is held for confirmation; confirm_plan applies it; restore brings one back', async () => {
  const acct = await makeAccount({ agents: 4, phone_numbers: 0, batches: 0, executions: 0 });
  const t = await tenantWithKey(acct.key);
  await stack.sim.del(`${acct.path}/agents`);
  const held = await sync(t);
  assert.equal(held.status, 409, held.text);
  assert.equal(held.json.success, false);
  assert.equal(held.json.error, 'mass_removal_held');
  assert.ok(held.json.plan_id);
  assert.equal(held.json.plan.resources.agents.archive.length, 4);
  const s = await summary(t);
  assert.equal(s.sync_state, 'held');
  assert.equal(s.counts.agents, 4);

  const confirmed = await sync(t, { confirm_plan: held.json.plan_id });
  assert.equal(confirmed.status, 200, confirmed.text);
  assert.equal(confirmed.json.deleted, 4);
  assert.equal((await summary(t)).counts.agents, 0);

  const items = await archive(t);
  assert.equal(items.length, 4);
  const r = await stack.api('POST', `/api/archive/agents/${items[0].id}/restore`, { token: t.token });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.restored, true);
  assert.equal((await summary(t)).counts.agents, 1);
  const runs = (await stack.api('GET', '/api/sync/runs', { token: t.token })).json.items;
  assert.ok(runs.some((run) => run.state === 'succeeded' && run.counts.agents.archived === 4));
});

test('a rejected key answers 422 with the upstream reason and the old key stays', async () => {
  const t = await tenantWithKey('bn-demo-key-2');
  const bad = await stack.api('PUT', '/api/tenant/settings', { token: t.token, body: { voice_api_key: 'bn-wrong-key' } });
  assert.equal(bad.status, 422, bad.text);
  assert.equal(bad.json.error, 'key_rejected');
  assert.match(bad.json.message, /denied|invalid/i);
  const settings = (await stack.api('GET', '/api/tenant/settings', { token: t.token })).json;
  assert.equal(settings.voice_key_last4, 'ey-2');
});

test('one run at a time: concurrent clicks join one run', async () => {
  const acct = await makeAccount({ agents: 2, phone_numbers: 0, batches: 0, executions: 0 });
  const t = await tenantWithKey(acct.key);
  await stack.sim.post('/_sim/faults', { path_pattern: '/v2/agent/all', latency_ms: 600, times: 1 });
  const [a, b] = await Promise.all([sync(t), sync(t)]);
  assert.equal(a.status, 200, a.text);
  assert.equal(b.status, 200, b.text);
  assert.equal(a.json.run_id, b.json.run_id);
});

// --- the fault matrix ---
const endpoints = [
  ['account', '/user/me'],
  ['agents', '/v2/agent/all'],
  ['phone numbers', '/phone-numbers/all'],
  ['campaigns', '/batches/*/all'],
  ['executions', '/v2/agent/*/executions'],
];
const failing = [
  ['401', { status: 401, body: { error: 401, message: 'Access denied' } }, 'key_rejected'],
  ['403', { status: 403, body: { detail: 'Invalid API key' } }, 'key_rejected'],
  ['404', { status: 404, body: { error: 404, message: 'Not found' } }, 'upstream_not_found'],
  ['429 forever', { status: 429, retry_after: 0 }, 'rate_limited'],
  ['500 forever', { status: 500 }, 'upstream_error'],
  // A timeout and a refused connection are one generic failure to a tenant (no network scanning).
  ['timeout', { latency_ms: 2500 }, 'upstream_unreachable'],
  ['malformed JSON', { malformed: true }, 'upstream_malformed'],
  ['truncated body', { truncate: true }, 'upstream_malformed'],
];

// What a failed listing leaves unread: campaigns and executions are listed per agent.
const notReadWhen = {
  agents: ['agents', 'campaigns', 'executions'],
  'phone numbers': ['phone_numbers'],
  campaigns: ['campaigns'],
  executions: ['executions'],
};

test('fault matrix: every endpoint × every failure: a failed listing keeps its resource untouched, the rest is applied', async () => {
  for (const [what, path] of endpoints) {
    await stack.sim.del('/_sim/faults');
    // A tenant per endpoint, with a change waiting upstream in every resource (an agent more, a
    // phone number fewer, a new batch, a new call), so a resource wrongly applied shows.
    const acct = await makeAccount({ agents: 1, phone_numbers: 4, batches: 1, executions: 20, days: 2 });
    await stack.sim.post(`${acct.path}/agents`, { id: 'agent-base', agent_name: 'Base' });
    const t = await tenantWithKey(acct.key);
    const initial = (await summary(t)).counts;
    const numbers = await stack.sim.get(`${acct.path}/phone_numbers`);
    await stack.sim.del(`${acct.path}/phone_numbers/${(Array.isArray(numbers) ? numbers : numbers.items ?? numbers.phone_numbers)[0].id}`);
    await stack.sim.post(`${acct.path}/agents`, { id: 'agent-new', agent_name: 'New' });
    await stack.sim.post(`${acct.path}/agents/agent-base/batches`, { batch_id: 'batch-new', file_name: 'new.csv' });
    await stack.sim.post(`${acct.path}/agents/agent-base/executions`, [{ status: 'completed', created_at: new Date(Date.now() - 60_000).toISOString() }]);
    const applied = { agents: initial.agents + 1, phone_numbers: initial.phone_numbers - 1,
                      campaigns: initial.campaigns + 1, executions: initial.executions + 1 };

    // Key rejections and the account call first: the whole run fails and nothing changes.
    for (const [name, fault, code] of failing) {
      const fatal = what === 'account' || code === 'key_rejected';
      if (!fatal) continue;
      await stack.sim.del('/_sim/faults');
      await stack.sim.post('/_sim/faults', { path_pattern: path, ...fault });
      const res = await sync(t);
      const label = `${what} ${name}`;
      assert.equal(res.json?.success, false, `${label}: ${res.text}`);
      assert.equal(res.json.error, code, `${label}: ${res.text}`);
      assert.match(res.json.message, /^Sync failed: /, label);
      assert.deepEqual((await summary(t)).counts, initial, `${label} changed the mirror`);
      assert.equal((await archive(t)).length, 0, `${label} archived something`);
    }
    if (what === 'account') continue;

    // Any other failure of a listing: "completed with warnings"; its resource (and what hangs off
    // it) stays as it was, every other resource is applied.
    const unread = notReadWhen[what];
    for (const [name, fault, code] of failing) {
      if (code === 'key_rejected') continue;
      await stack.sim.del('/_sim/faults');
      await stack.sim.post('/_sim/faults', { path_pattern: path, ...fault });
      const res = await sync(t);
      const label = `${what} ${name}`;
      assert.equal(res.status, 200, `${label}: ${res.text}`);
      assert.equal(res.json.success, true, `${label}: ${res.text}`);
      assert.equal(res.json.message, 'Sync completed with warnings', label);
      const warned = res.json.warnings.filter((w) => w.code !== 'record_warning');
      assert.deepEqual(warned.map((w) => w.resource).sort(), [...unread].sort(), `${label}: ${res.text}`);
      assert.ok(warned.every((w) => w.code === code), `${label}: ${res.text}`);
      const counts = (await summary(t)).counts;
      for (const r of ['agents', 'phone_numbers', 'campaigns', 'executions']) {
        assert.equal(counts[r], unread.includes(r) ? initial[r] : applied[r], `${label}: ${r}`);
      }
      const archivedNumbers = (await archive(t)).filter((a) => a.resource === 'phone_numbers').length;
      assert.equal(archivedNumbers, unread.includes('phone_numbers') ? 0 : 1, `${label}: phone numbers archived`);
    }
  }
  await stack.sim.del('/_sim/faults');

  // A failure on a later page of one agent: a new agent has no cursor yet, so its 120 executions
  // of the last day are read in full, 50 a page; page 2 fails. The other agents' executions are
  // applied; this agent's keep their (absent) cursor, so the next run reads them all.
  const acct = await makeAccount({ agents: 2, phone_numbers: 1, batches: 1, executions: 30, days: 2 });
  const t = await tenantWithKey(acct.key);
  const before = (await summary(t)).counts;
  await stack.sim.post(`${acct.path}/agents`, { id: 'agent-late', agent_name: 'Late' });
  const now = Date.now();
  await stack.sim.post(`${acct.path}/agents/agent-late/executions`,
    Array.from({ length: 120 }, (_, i) => ({ status: 'completed', created_at: new Date(now - (i + 1) * 60_000).toISOString() })));
  await stack.sim.post('/_sim/faults', { path_pattern: '/v2/agent/agent-late/executions', status: 500, on_page: 2 });
  const res = await sync(t);
  assert.equal(res.json?.success, true, `page 2: ${res.text}`);
  assert.equal(res.json.message, 'Sync completed with warnings');
  const warned = res.json.warnings.filter((w) => w.code !== 'record_warning');
  assert.deepEqual(warned.map((w) => [w.resource, w.code]), [['executions', 'upstream_error']]);
  assert.match(warned[0].message, /Executions of agent agent-late were not read/);
  const pages = (await stack.sim.get('/_sim/requests?path_prefix=/v2/agent/agent-late/executions')).requests;
  assert.ok(pages.some((r) => String(r.query.page_number) === '2' && r.status === 500), 'page 2 was read and failed');
  const after = (await summary(t)).counts;
  assert.equal(after.agents, before.agents + 1, 'the new agent was applied');
  assert.equal(after.executions, before.executions, 'page 1 of the failed agent was not applied');
  assert.equal((await archive(t)).length, 0);
  await stack.sim.del('/_sim/faults');
  const again = await sync(t);
  assert.equal(again.json?.message, 'Sync completed', again.text);
  assert.equal((await summary(t)).counts.executions, before.executions + 120, 'its executions were read again from the start');
});

test('fault matrix: a transient 429 or 500 on any endpoint is retried and the run succeeds', async () => {
  const acct = await makeAccount({ agents: 2, phone_numbers: 2, batches: 1, executions: 20, days: 2 });
  const t = await tenantWithKey(acct.key);
  const before = (await summary(t)).counts;
  for (const [what, path] of endpoints) {
    for (const fault of [{ status: 429, retry_after: 1, times: 1 }, { status: 500, times: 1 }]) {
      await stack.sim.del('/_sim/faults');
      await stack.sim.post('/_sim/faults', { path_pattern: path, ...fault });
      const res = await sync(t);
      assert.equal(res.status, 200, `${what} ${fault.status}: ${res.text}`);
      assert.equal(res.json.success, true);
      assert.deepEqual((await summary(t)).counts, before);
    }
  }
  await stack.sim.del('/_sim/faults');
});

test('odd upstream records (wrong types, huge strings, unknown fields) are stored safely or skipped, never archived', async () => {
  const acct = await makeAccount({ agents: 3, phone_numbers: 0, batches: 0, executions: 0 });
  const t = await tenantWithKey(acct.key);
  await stack.sim.post(`${acct.path}/agents`, [
    { id: 'agent-odd', agent_name: 12345, agent_status: ['not', 'a', 'string'], created_at: 'not a date', brand_new_field: { deep: [1, 2, 3] } },
    { id: 'agent-huge', agent_name: 'x'.repeat(300_000) },
  ]);
  const res = await sync(t);
  assert.equal(res.status, 200, res.text.slice(0, 500));
  assert.equal(res.json.success, true);
  assert.equal(res.json.resources.agents.archived, 0);
  const agents = (await stack.api('GET', '/api/agents?limit=50', { token: t.token })).json.items;
  assert.ok(agents.length >= 3 && agents.length <= 5, `${agents.length} agents`);
  assert.ok(agents.every((a) => a.name.length <= 300_000));
  // The next sync with the same odd records changes nothing and removes nothing.
  const again = await sync(t);
  assert.equal(again.json.resources.agents.archived, 0);
  assert.equal(again.json.resources.agents.created, 0);
});
