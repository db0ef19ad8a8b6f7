// The product surface against the real binaries: the call log (filters, search, cursor paging,
// 400s naming the parameter), a call's detail fetched from the simulated voice platform on first
// open and cached after, a failed fetch, a huge transcript, the agent and campaign pages, a
// lead's calls found by a number typed in another format, the chart aggregates, and tenant
// isolation of every new route.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, signup } from './lib/harness.mjs';

const DAY = 86_400_000;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

let stack;
let t;      // the tenant whose account holds the calls
let other;  // another tenant, for isolation
const ids = {};  // upstream id -> mirror row id

before(async () => {
  stack = await startStack({
    env: { TENANTSYNC_VOICE_SCHEDULE: 'off', TENANTSYNC_CRM_SCHEDULE: 'off', TENANTSYNC_UPSTREAM_TIMEOUT: '2s' },
  });
  const account = `acct-surface-${process.pid}`;
  const key = `bn-${account}`;
  const path = `/_sim/bolna/accounts/${account}`;
  // Full list rows (cost, batch): the trimmed rows of the default quirk carry neither, and then
  // the call log shows them as null until a call's detail is opened.
  await stack.sim.post('/_sim/bolna/quirks', { trim_list_rows: false });
  await stack.sim.post('/_sim/bolna/accounts', { id: account, key });
  await stack.sim.post(`${path}/agents`, [{ id: 'ag-sales', agent_name: 'Sales' }, { id: 'ag-support', agent_name: 'Support' }]);
  await stack.sim.post(`${path}/agents/ag-sales/batches`,
    { batch_id: 'batch-1', file_name: 'spring.csv', status: 'executed', total_contacts: 4, valid_contacts: 4 });
  const now = Date.now();
  const call = (id, at, status, to, extra = {}) => ({
    id, status, created_at: iso(at), conversation_duration: status === 'completed' ? 60 : 0, total_cost: 0.5,
    transcript: status === 'completed' ? `assistant: Hello from ${id}\nuser: Hi` : null,
    telephony_data: { to_number: to, from_number: '+14155550000', call_type: 'outbound', provider: 'twilio',
      recording_url: `https://recordings.example/${id}.mp3` },
    ...extra,
  });
  await stack.sim.post(`${path}/agents/ag-sales/executions`, [
    call('ex-a1', now - 2 * DAY, 'completed', '+14155552671',
      { extracted_data: { interested: true }, cost_breakdown: { llm: 0.2, platform: 0.3 } }),
    call('ex-a2', now - 2 * DAY + 60_000, 'no-answer', '+14155552679', { batch_id: 'batch-1' }),
    call('ex-a3', now - DAY, 'completed', '+14155552678', { batch_id: 'batch-1' }),
  ]);
  await stack.sim.post(`${path}/agents/ag-support/executions`, [
    call('ex-b1', now - 3_600_000, 'completed', '+14155552672', { transcript: 'x'.repeat(300_000) }),
  ]);

  t = await signup(stack, 'Surface');
  other = await signup(stack, 'Other');
  const put = await stack.api('PUT', '/api/tenant/settings', { token: t.token, body: { voice_api_key: key } });
  assert.equal(put.status, 200, put.text);
  // The key's sync: wait until the mirror holds the four calls.
  for (const until = Date.now() + 30_000; Date.now() < until;) {
    const page = await get('/api/executions?limit=10');
    if (page.json?.items?.length === 4) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const item of (await get('/api/executions')).json.items) ids[item.upstream_id] = item.id;
  assert.equal(Object.keys(ids).length, 4, 'the sync mirrored the four calls');
});
after(async () => { await stack?.stop(); });

function get(path, token = t.token) { return stack.api('GET', path, { token }); }
async function upstreamIds(path) {
  const res = await get(path);
  assert.equal(res.status, 200, `${path}: ${res.text}`);
  return res.json.items.map((i) => i.upstream_id);
}

test('the call log lists calls newest first with their agent, campaign, numbers, duration and cost', async () => {
  const { items } = (await get('/api/executions')).json;
  assert.deepEqual(items.map((i) => i.upstream_id), ['ex-b1', 'ex-a3', 'ex-a2', 'ex-a1']);
  const a1 = items[3];
  assert.equal(a1.agent.name, 'Sales');
  assert.equal(a1.agent.upstream_id, 'ag-sales');
  assert.equal(typeof a1.agent.id, 'number');
  assert.equal(a1.to_e164, '+14155552671');
  assert.equal(a1.direction, 'outbound');
  assert.equal(a1.duration_s, 60);
  assert.equal(a1.cost, 0.5);
  assert.equal(a1.status, 'completed');
  assert.equal(items[2].campaign.name, 'spring.csv');
});

test('the call log filters by agent, status, campaign, time and searches ids and numbers', async () => {
  assert.deepEqual(await upstreamIds('/api/executions?agent_id=ag-support'), ['ex-b1']);
  assert.deepEqual(await upstreamIds('/api/executions?status=no-answer'), ['ex-a2']);
  assert.deepEqual(await upstreamIds('/api/executions?batch_id=batch-1'), ['ex-a3', 'ex-a2']);
  const now = Date.now();
  assert.deepEqual(await upstreamIds(`/api/executions?from=${iso(now - DAY - 60_000)}&to=${iso(now - 60_000)}`),
    ['ex-b1', 'ex-a3']);
  assert.deepEqual(await upstreamIds('/api/executions?q=EX-A1'), ['ex-a1']);
  // A number typed in another format finds the call by its E.164 form.
  assert.deepEqual(await upstreamIds(`/api/executions?q=${encodeURIComponent('(415) 555-2672')}`), ['ex-b1']);
  assert.deepEqual(await upstreamIds('/api/executions?agent_id=ag-sales&status=completed'), ['ex-a3', 'ex-a1']);
});

test('the call log pages with cursors, each call once', async () => {
  const seen = [];
  let cursor = '';
  for (let pages = 0; pages < 10; pages++) {
    const res = await get(`/api/executions?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(res.status, 200, res.text);
    seen.push(...res.json.items.map((i) => i.upstream_id));
    if (!res.json.next) break;
    cursor = res.json.next;
  }
  assert.deepEqual(seen, ['ex-b1', 'ex-a3', 'ex-a2', 'ex-a1']);
});

test('bad filters answer 400 validation_failed naming the parameter', async () => {
  for (const [query, name] of [
    ['from=yesterday', 'from'], ['to=2024-13-45T00:00:00Z', 'to'], ['limit=0', 'limit'], ['limit=abc', 'limit'],
    ['limit=501', 'limit'], ['cursor=not-a-cursor', 'cursor'], [`q=${'x'.repeat(201)}`, 'q'],
    [`from=${iso(Date.now())}&to=${iso(Date.now() - DAY)}`, 'from'],
  ]) {
    const res = await get(`/api/executions?${query}`);
    assert.equal(res.status, 400, `${query}: ${res.text}`);
    assert.equal(res.json.error, 'validation_failed');
    assert.match(res.json.message, new RegExp(`"${name}"`), query);
  }
  for (const [path, name] of [
    ['/api/leads?source=fax', 'source'], ['/api/leads?archived=maybe', 'archived'], ['/api/leads?sort=name', 'sort'],
    ['/api/leads?connection_id=x', 'connection_id'], ['/api/leads?order=up', 'order'],
    ['/api/stats/calls?from=2020-01-01T00:00:00Z&to=2022-01-01T00:00:00Z', 'to'], ['/api/stats/leads?from=x', 'from'],
  ]) {
    const res = await get(path);
    assert.equal(res.status, 400, `${path}: ${res.text}`);
    assert.equal(res.json.error, 'validation_failed');
    assert.match(res.json.message, new RegExp(`"${name}"`), path);
  }
});

test('a call\'s detail is fetched from the voice platform on first open, then read from the cache', async () => {
  await stack.sim.del('/_sim/requests');
  const first = await get(`/api/executions/${ids['ex-a1']}`);
  assert.equal(first.status, 200, first.text);
  assert.equal(first.json.upstream_id, 'ex-a1');
  assert.equal(first.json.detail_source, 'voice_platform');
  assert.equal(first.json.detail_error, null);
  assert.equal(first.json.detail.transcript, 'assistant: Hello from ex-a1\nuser: Hi');
  assert.equal(first.json.detail.transcript_truncated, false);
  assert.equal(first.json.detail.recording_url, 'https://recordings.example/ex-a1.mp3');
  assert.deepEqual(first.json.detail.extracted_data, { interested: true });
  assert.deepEqual(first.json.detail.cost_breakdown, { llm: 0.2, platform: 0.3 });
  assert.equal(first.json.detail.telephony_data.provider, 'twilio');

  const second = await get(`/api/executions/${ids['ex-a1']}`);
  assert.equal(second.status, 200, second.text);
  assert.equal(second.json.detail_source, 'cache');
  assert.deepEqual(second.json.detail, first.json.detail);
  const log = await stack.sim.get('/_sim/requests?path_prefix=/executions/');
  assert.deepEqual(log.requests.map((r) => r.path), ['/executions/ex-a1'], 'one upstream call for two opens');
});

test('a failed detail fetch answers the mirror\'s data and the reason; the next open tries again', async () => {
  await stack.sim.post('/_sim/faults', { path_pattern: '/executions/ex-a2', status: 500, times: 1 });
  const failed = await get(`/api/executions/${ids['ex-a2']}`);
  assert.equal(failed.status, 200, failed.text);
  assert.equal(failed.json.upstream_id, 'ex-a2');
  assert.equal(failed.json.status, 'no-answer');
  assert.equal(failed.json.agent.name, 'Sales');
  assert.equal(failed.json.detail, null);
  assert.equal(failed.json.detail_error.code, 'upstream_error');
  assert.match(failed.json.detail_error.message, /500/);
  const retried = await get(`/api/executions/${ids['ex-a2']}`);
  assert.equal(retried.json.detail_source, 'voice_platform', retried.text);
  assert.equal(retried.json.detail_error, null);
});

test('a huge transcript is truncated with a notice', async () => {
  const res = await get(`/api/executions/${ids['ex-b1']}`);
  assert.equal(res.status, 200);
  assert.equal(res.json.detail.transcript_truncated, true);
  assert.equal(res.json.detail.transcript_bytes, 300_000);
  assert.equal(res.json.detail.transcript.length, 256 * 1024);
});

test('an agent\'s page shows its campaigns, recent calls and call statistics; a campaign its progress', async () => {
  const agents = (await get('/api/agents')).json.items;
  const sales = agents.find((a) => a.upstream_id === 'ag-sales');
  const page = await get(`/api/agents/${sales.id}`);
  assert.equal(page.status, 200, page.text);
  assert.equal(page.json.name, 'Sales');
  assert.deepEqual(page.json.campaigns.map((c) => c.upstream_id), ['batch-1']);
  assert.deepEqual(page.json.recent_calls.map((c) => c.upstream_id), ['ex-a3', 'ex-a2', 'ex-a1']);
  assert.equal(page.json.call_stats.calls, 3);
  assert.deepEqual(page.json.call_stats.by_status, { completed: 2, 'no-answer': 1 });
  assert.equal(page.json.call_stats.average_duration_s, 40);
  assert.equal(page.json.call_stats.average_cost, 0.5);

  const campaign = (await get('/api/campaigns')).json.items[0];
  const progress = await get(`/api/campaigns/${campaign.id}`);
  assert.equal(progress.status, 200, progress.text);
  assert.equal(progress.json.progress.total_contacts, 4);
  assert.equal(progress.json.progress.calls_mirrored, 2);
  assert.equal(progress.json.progress.done_fraction, 0.5);
  assert.deepEqual(progress.json.recent_calls.map((c) => c.upstream_id), ['ex-a3', 'ex-a2']);
});

test('a lead\'s calls are found by its number typed in another format; leads are searched the same way', async () => {
  const created = await stack.api('POST', '/api/leads', { token: t.token, body: { name: 'Ann Lee', phone: '(415) 555-2671' } });
  assert.equal(created.status, 201, created.text);
  const lead = created.json;
  assert.equal(lead.phone_e164, '+14155552671');
  const calls = await get(`/api/leads/${lead.id}/calls`);
  assert.equal(calls.status, 200, calls.text);
  assert.deepEqual(calls.json.items.map((c) => c.upstream_id), ['ex-a1']);

  const found = await get(`/api/leads?q=${encodeURIComponent('415.555.2671')}`);
  assert.deepEqual(found.json.items.map((l) => l.id), [lead.id]);
  assert.deepEqual((await get('/api/leads?source=manual&archived=false&sort=updated_at&order=asc')).json.items.map((l) => l.id), [lead.id]);
  assert.deepEqual((await get('/api/leads?source=crm')).json.items, []);

  const detail = await get(`/api/leads/${lead.id}`);
  assert.equal(detail.status, 200, detail.text);
  assert.equal(detail.json.lineage.source, 'manual');
  assert.equal(detail.json.lineage.match_reason, 'manual');
  assert.equal(detail.json.lineage.created_run, null);
  assert.equal(detail.json.lineage.crm_connection, null);
});

test('the chart aggregates count calls per day by status, per agent, and leads per day by source', async () => {
  const now = Date.now();
  const calls = await get(`/api/stats/calls?from=${iso(now - 7 * DAY)}&to=${iso(now + 60_000)}`);
  assert.equal(calls.status, 200, calls.text);
  assert.equal(calls.json.days.length, 8);
  assert.equal(calls.json.days.reduce((sum, d) => sum + d.total, 0), 4);
  const completed = calls.json.days.reduce((sum, d) => sum + (d.by_status.completed ?? 0), 0);
  assert.equal(completed, 3);

  const agents = await get('/api/stats/agents');
  assert.equal(agents.status, 200);
  assert.deepEqual(agents.json.agents.map((a) => [a.name, a.calls]), [['Sales', 3], ['Support', 1]]);
  assert.equal(agents.json.agents[1].average_duration_s, 60);

  const leads = await get('/api/stats/leads');
  assert.equal(leads.status, 200);
  assert.equal(leads.json.days.length, 30);
  assert.ok(leads.json.days.reduce((sum, d) => sum + (d.by_source.manual ?? 0), 0) >= 1);
});

test('another tenant finds none of it: every new route answers 404 or an empty list', async () => {
  const lead = (await get('/api/leads')).json.items[0];
  const agent = (await get('/api/agents')).json.items[0];
  const campaign = (await get('/api/campaigns')).json.items[0];
  for (const path of [`/api/executions/${ids['ex-a1']}`, `/api/leads/${lead.id}`, `/api/leads/${lead.id}/calls`,
    `/api/agents/${agent.id}`, `/api/campaigns/${campaign.id}`]) {
    const res = await get(path, other.token);
    assert.equal(res.status, 404, `${path}: ${res.text}`);
    assert.equal(res.json.error, 'not_found');
  }
  assert.deepEqual((await get('/api/executions?q=ex-a1', other.token)).json.items, []);
  assert.deepEqual((await get('/api/stats/agents', other.token)).json.agents, []);
  const stats = (await get('/api/stats/calls', other.token)).json;
  assert.equal(stats.days.reduce((sum, d) => sum + d.total, 0), 0);
});
