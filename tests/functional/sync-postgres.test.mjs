// The sync engine on PostgreSQL (jobs claimed with FOR UPDATE SKIP LOCKED, advisory locks):
// the seed scenario, the guard and a CRM connect, against the real binaries.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, signup } from './lib/harness.mjs';

let stack;
before(async () => {
  stack = await startStack({
    backend: 'postgres',
    env: { TENANTSYNC_VOICE_SCHEDULE: 'off', TENANTSYNC_CRM_SCHEDULE: 'off', TENANTSYNC_UPSTREAM_ATTEMPTS: '2' },
  });
});
after(async () => { await stack?.stop(); });

const summary = async (t) => (await stack.api('GET', '/api/tenant/summary', { token: t.token })).json;

test('switching accounts 3 → 1 and back, on PostgreSQL', async () => {
  const t = await signup(stack, 'Pg');
  for (const [key, agents] of [['bn-demo-key-1', 3], ['bn-demo-key-2', 1], ['bn-demo-key-1', 3]]) {
    const put = await stack.api('PUT', '/api/tenant/settings', { token: t.token, body: { voice_api_key: key } });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.json.sync.state, 'succeeded', put.text);
    assert.equal((await summary(t)).counts.agents, agents);
  }
});

test('executions changed upstream are updated, and restored on switching back, on PostgreSQL', async () => {
  const id = `acct-pg-upd-${process.pid}`;
  await stack.sim.post('/_sim/bolna/accounts', { id, key: `bn-${id}` });
  await stack.sim.post(`/_sim/bolna/accounts/${id}/agents`, { id: 'agent-pg-upd', agent_name: 'Pg' });
  const now = Date.now();
  await stack.sim.post(`/_sim/bolna/accounts/${id}/agents/agent-pg-upd/executions`, [
    // A minute old: inside the overlap a later sync re-reads (executions are listed by creation time).
    { id: 'ex-pg-1', status: 'queued', created_at: new Date(now - 60_000).toISOString() },
    { id: 'ex-pg-2', status: 'completed', created_at: new Date(now - 7_200_000).toISOString() },
  ]);
  const t = await signup(stack, 'Pg upd');
  const put = await stack.api('PUT', '/api/tenant/settings', { token: t.token, body: { voice_api_key: `bn-${id}` } });
  assert.equal(put.json.sync.state, 'succeeded', put.text);
  const status = async (ex) => (await stack.api('GET', '/api/executions?limit=10', { token: t.token })).json.items
    .find((e) => e.upstream_id === ex)?.status;
  assert.equal(await status('ex-pg-1'), 'queued');
  await stack.sim.patch(`/_sim/bolna/accounts/${id}/agents/agent-pg-upd/executions/ex-pg-1`, { status: 'completed' });
  const again = await stack.api('POST', '/api/tenant/sync', { token: t.token, body: {} });
  assert.equal(again.status, 200, again.text);
  assert.equal(await status('ex-pg-1'), 'completed', 'the changed execution is updated');
  assert.equal(await status('ex-pg-2'), 'completed');
  // Another account and back: the executions are archived, then restored by the same statement.
  for (const key of ['bn-demo-key-2', `bn-${id}`]) {
    const switched = await stack.api('PUT', '/api/tenant/settings', { token: t.token, body: { voice_api_key: key } });
    assert.equal(switched.json.sync.state, 'succeeded', switched.text);
  }
  assert.equal(await status('ex-pg-1'), 'completed');
  assert.equal((await summary(t)).counts.executions, 2, 'both executions are active again');
});

test('a held mass removal and its confirmation, on PostgreSQL', async () => {
  const id = `acct-pg-${process.pid}`;
  await stack.sim.post('/_sim/bolna/accounts', { id, key: `bn-${id}` });
  await stack.sim.post(`/_sim/bolna/accounts/${id}/generate`, { agents: 5, phone_numbers: 0, batches: 0, executions: 0 });
  const t = await signup(stack, 'Pg2');
  await stack.api('PUT', '/api/tenant/settings', { token: t.token, body: { voice_api_key: `bn-${id}` } });
  await stack.sim.del(`/_sim/bolna/accounts/${id}/agents`);
  const held = await stack.api('POST', '/api/tenant/sync', { token: t.token, body: {} });
  assert.equal(held.status, 409, held.text);
  const done = await stack.api('POST', `/api/sync/runs/${held.json.run_id}/confirm`, { token: t.token, body: {} });
  assert.equal(done.status, 200, done.text);
  assert.equal(done.json.deleted, 5);
  assert.equal((await summary(t)).counts.agents, 0);
});

test('a CRM connect brings leads, on PostgreSQL', async () => {
  const t = await signup(stack, 'Pg3');
  const res = await stack.api('POST', '/api/crm/connect', { token: t.token, body: { provider: 'hubspot', access_token: 'pat-demo-hubspot-1' } });
  assert.equal(res.status, 202, res.text);
  const sync = await stack.api('POST', '/api/crm/sync', { token: t.token });
  assert.equal(sync.status, 200, sync.text);
  const leads = (await stack.api('GET', '/api/leads?limit=100', { token: t.token })).json.items;
  assert.ok(leads.length >= 20, `${leads.length} leads`);
  assert.ok(leads.every((l) => l.crm_provider === 'hubspot'));
});
