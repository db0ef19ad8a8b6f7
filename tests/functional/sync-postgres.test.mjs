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
