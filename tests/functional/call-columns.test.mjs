// A call's list columns filled from its detail: with the simulator's default `trim_list_rows`
// quirk (as the live API does) the execution listing leaves out cost, numbers and batch, so the
// call log shows them as null; opening the call fetches GET /executions/{id}, and from then on
// the call log shows the detail's cost, campaign, numbers, duration and status. A later sync of
// the same (trimmed) listing row does not undo it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, signup } from './lib/harness.mjs';

let stack;
let t;
const account = `acct-columns-${process.pid}`;
const key = `bn-${account}`;

const get = (path) => stack.api('GET', path, { token: t.token });

before(async () => {
  stack = await startStack({ env: { TENANTSYNC_VOICE_SCHEDULE: 'off', TENANTSYNC_CRM_SCHEDULE: 'off' } });
  const path = `/_sim/bolna/accounts/${account}`;
  await stack.sim.post('/_sim/bolna/accounts', { id: account, key });
  await stack.sim.post(`${path}/agents`, [{ id: 'ag-cols', agent_name: 'Columns' }]);
  await stack.sim.post(`${path}/agents/ag-cols/batches`,
    { batch_id: 'batch-cols', file_name: 'autumn.csv', status: 'executed', total_contacts: 2, valid_contacts: 2 });
  await stack.sim.post(`${path}/agents/ag-cols/executions`, [{
    id: 'ex-cols-1', status: 'completed', created_at: new Date(Date.now() - 3_600_000).toISOString(),
    conversation_duration: 95, total_cost: 1.25, batch_id: 'batch-cols', transcript: 'assistant: Hi\nuser: Hello',
    telephony_data: { to_number: '+14155552671', from_number: '+14155550000', call_type: 'outbound', provider: 'twilio' },
  }]);
  t = await signup(stack, 'Columns');
  const put = await stack.api('PUT', '/api/tenant/settings', { token: t.token, body: { voice_api_key: key } });
  assert.equal(put.status, 200, put.text);
  for (const until = Date.now() + 30_000; Date.now() < until;) {
    if ((await get('/api/executions')).json?.items?.length === 1) break;
    await new Promise((r) => setTimeout(r, 100));
  }
});

after(async () => { await stack?.stop(); });

test('the trimmed listing leaves the columns null; the opened detail fills them in the call log', async () => {
  const before = (await get('/api/executions')).json.items[0];
  assert.equal(before.upstream_id, 'ex-cols-1');
  // What the trimmed row lacks (the quirk is on by default).
  assert.equal(before.cost, null);
  assert.equal(before.campaign, null);

  const opened = await get(`/api/executions/${before.id}`);
  assert.equal(opened.status, 200, opened.text);
  assert.equal(opened.json.detail_source, 'voice_platform');
  assert.equal(opened.json.cost, 1.25, 'the first open already shows the detail\'s columns');

  const after = (await get('/api/executions')).json.items[0];
  assert.equal(after.cost, 1.25);
  assert.equal(after.duration_s, 95);
  assert.equal(after.status, 'completed');
  assert.equal(after.campaign?.upstream_id, 'batch-cols');
  assert.equal(after.campaign?.name, 'autumn.csv');
  assert.equal(after.to_e164, '+14155552671');
  assert.equal(after.direction, 'outbound');
  // The call log's filters see them too.
  assert.equal((await get('/api/executions?batch_id=batch-cols')).json.items.length, 1);
  assert.equal((await get('/api/executions?q=(415)%20555-2671')).json.items.length, 1);

  // A sync that reads the same trimmed row again keeps what the detail filled in.
  const sync = await stack.api('POST', '/api/tenant/sync', { token: t.token, body: {} });
  assert.equal(sync.status, 200, sync.text);
  const synced = (await get('/api/executions')).json.items[0];
  assert.equal(synced.cost, 1.25);
  assert.equal(synced.campaign?.upstream_id, 'batch-cols');
});
