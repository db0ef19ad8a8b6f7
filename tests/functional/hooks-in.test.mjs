// Changes pushed in, against the simulator's real webhook sending: a Bolna call reaches the call
// log within seconds without a poll (its late, duplicated and out-of-order payloads included); a
// HubSpot contact changed, deleted and merged upstream is reflected within seconds; forged,
// stale, replayed, oversized, malformed and unknown webhooks change nothing and are counted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { startStack, signup, request } from './lib/harness.mjs';

const CLIENT_SECRET = 'hubspot-app-secret-for-tests';
let stack;
before(async () => {
  stack = await startStack({
    env: {
      TENANTSYNC_VOICE_SCHEDULE: 'off', TENANTSYNC_CRM_SCHEDULE: 'off',
      TENANTSYNC_HUBSPOT_CLIENT_ID: 'demo-client', TENANTSYNC_HUBSPOT_CLIENT_SECRET: CLIENT_SECRET,
    },
  });
});
after(async () => { await stack?.stop(); });

async function waitFor(check, ms = 5000) {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value || Date.now() > until) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function metric(source, outcome) {
  const text = (await stack.api('GET', '/metrics')).text;
  const line = text.split('\n').find((l) => l.startsWith(`tenantsync_webhook_events_total{source="${source}",outcome="${outcome}"}`));
  return line ? Number(line.split(' ').pop()) : NaN;
}

const executions = async (t) => (await stack.api('GET', '/api/executions?limit=100', { token: t.token })).json.items;
const hookPath = (url) => new URL(url).pathname;
/** GET /api/events, read as it comes: events() so far as {name, data}, close() to stop. */
function openEvents(token) {
  const controller = new AbortController();
  let text = '';
  (async () => {
    try {
      const res = await fetch(`${stack.baseUrl}/api/events`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
      for await (const chunk of res.body) text += Buffer.from(chunk).toString();
    } catch { /* closed */ }
  })();
  return {
    // Whole events only: the text after the last blank line may still be arriving.
    events: () => text.split('\n\n').slice(0, -1).map((block) => {
      const name = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      return name ? { name, data: data ? JSON.parse(data) : null } : null;
    }).filter(Boolean),
    close: () => controller.abort(),
  };
}

/** An agent as the simulated Bolna API shows it to the tenant's key. */
async function upstreamAgent(t, agentId) {
  const res = await request(stack.sim.url, 'GET', `/v2/agent/${agentId}`, { headers: { authorization: `Bearer bn-${t.account}` } });
  assert.equal(res.status, 200, res.text);
  return res.json;
}

/** A tenant whose key reads a fresh simulated account with one agent (synced in). */
async function voiceTenant(name) {
  const id = `acct-hooks-${process.pid}-${name}`;
  await stack.sim.post('/_sim/bolna/accounts', { id, key: `bn-${id}` });
  await stack.sim.post(`/_sim/bolna/accounts/${id}/agents`, { id: `agent-${name}`, agent_name: `Agent ${name}` });
  const t = await signup(stack, `Hooks ${name}`);
  const put = await stack.api('PUT', '/api/tenant/settings', { token: t.token, body: { voice_api_key: `bn-${id}` } });
  assert.equal(put.status, 200, put.text);
  const agents = await waitFor(async () => {
    const items = (await stack.api('GET', '/api/agents', { token: t.token })).json?.items ?? [];
    return items.length === 1 ? items : null;
  }, 10_000);
  assert.ok(agents, 'the first sync brings the agent in');
  const settings = (await stack.api('GET', '/api/tenant/settings', { token: t.token })).json;
  assert.match(settings.call_webhook_url, /^http:\/\/127\.0\.0\.1:\d+\/hooks\/bolna\/ts_[A-Za-z0-9_-]{43}$/);
  return { ...t, account: id, agent: `agent-${name}`, url: settings.call_webhook_url };
}

test('a Bolna call reaches the call log within seconds through the agent webhook, and bad calls change nothing', async () => {
  const t = await voiceTenant('a');
  // With the person's consent (Settings' button), tenantsync points the agent at its URL through
  // the Bolna API (PATCH /v2/agent/{id}); the simulator then sends the call's changes there.
  const pointed = await stack.api('POST', '/api/tenant/call-webhook/agents', { token: t.token, body: { enabled: true } });
  assert.equal(pointed.status, 200, pointed.text);
  assert.deepEqual(pointed.json.agents.map((a) => [a.agent_id, a.outcome]), [[t.agent, 'set']]);
  assert.equal((await upstreamAgent(t, t.agent)).webhook_url, t.url);
  // The dashboard's live events: an open call log hears of each change (executions.changed).
  const stream = openEvents(t.token);
  const started = Date.now();
  const call = await stack.sim.post(`/_sim/bolna/accounts/${t.account}/agents/${t.agent}/calls`, {
    in_progress_after_ms: 100, completed_after_ms: 400, conversation_duration: 61, total_cost: 0.37,
    duplicates: true, out_of_order: true,
  });
  const done = await waitFor(async () => {
    const row = (await executions(t)).find((e) => e.upstream_id === call.id);
    return row?.status === 'completed' ? row : null;
  }, 5000);
  assert.ok(done, `the completed call is in GET /api/executions within 5 s (waited ${Date.now() - started} ms)`);
  assert.equal(done.duration_s, 61);
  assert.equal(done.cost, 0.37);
  assert.equal(done.agent.upstream_id, t.agent);
  const told = await waitFor(() => stream.events().some((e) => e.name === 'executions.changed' &&
    e.data.execution_id === call.id && e.data.status === 'completed'), 3000);
  stream.close();
  assert.ok(told, `executions.changed for the completed call: ${JSON.stringify(stream.events())}`);
  // The late in-progress copy (out_of_order) and the duplicates arrive after: the row stays completed.
  await waitFor(async () => (await stack.sim.get('/_sim/bolna/webhooks')).pending === 0, 3000);
  const after = (await executions(t)).find((e) => e.upstream_id === call.id);
  assert.equal(after.status, 'completed');
  assert.ok((await metric('bolna', 'unchanged')) >= 1, 'stale and repeated payloads are counted');

  const before = JSON.stringify(await executions(t));
  const payload = { id: 'exec-forged', agent_id: t.agent, status: 'completed', created_at: new Date().toISOString() };
  // An unknown token.
  const unknown = await stack.api('POST', '/hooks/bolna/ts_' + 'x'.repeat(43), { body: payload });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.json.error, 'not_found');
  // Malformed JSON, a body that is not one execution, one over the limit.
  const path = hookPath(t.url);
  const malformed = await stack.api('POST', path, { raw: '{"id": ', headers: { 'content-type': 'application/json' } });
  assert.equal(malformed.status, 400);
  assert.equal(malformed.json.error, 'malformed_json');
  assert.equal((await stack.api('POST', path, { body: [payload] })).status, 400);
  const huge = await stack.api('POST', path, { body: { ...payload, transcript: 'x'.repeat(300 * 1024) } });
  assert.equal(huge.status, 413);
  // An agent of another account (or none the mirror knows).
  const foreign = await stack.api('POST', path, { body: { ...payload, agent_id: 'agent-of-someone-else' } });
  assert.equal(foreign.status, 422);
  assert.equal(foreign.json.error, 'validation_failed');
  assert.equal(JSON.stringify(await executions(t)), before, 'nothing was written');
  assert.ok((await metric('bolna', 'unknown_token')) >= 1);
  assert.ok((await metric('bolna', 'bad_body')) >= 3);
  assert.ok((await metric('bolna', 'rejected')) >= 1);

  // Another tenant's token cannot write into this tenant: its own agents only.
  const other = await voiceTenant('b');
  const cross = await stack.api('POST', hookPath(other.url), { body: payload });
  assert.equal(cross.status, 422, 'tenant b does not hold agent a');

  // Rotating the token: the old URL stops working at once.
  const rotated = await stack.api('POST', '/api/tenant/hook-token/rotate', { token: t.token });
  assert.equal(rotated.status, 200);
  assert.notEqual(rotated.json.call_webhook_url, t.url);
  assert.equal((await stack.api('POST', path, { body: payload })).status, 404);
  const valid = await stack.api('POST', hookPath(rotated.json.call_webhook_url), { body: payload });
  assert.equal(valid.status, 200, valid.text);
  assert.equal(valid.json.outcome, 'created');

  // Stopping: the agent's URL (of the old token, still this server's) is removed upstream.
  const stopped = await stack.api('POST', '/api/tenant/call-webhook/agents', { token: t.token, body: { enabled: false } });
  assert.equal(stopped.status, 200, stopped.text);
  assert.deepEqual(stopped.json.agents.map((a) => [a.agent_id, a.outcome]), [[t.agent, 'cleared']]);
  assert.equal((await upstreamAgent(t, t.agent)).webhook_url, undefined);
  const audit = (await stack.api('GET', '/api/audit?limit=50', { token: t.token })).json.items.map((e) => e.action);
  assert.ok(audit.includes('call_webhook_agents_set') && audit.includes('call_webhook_agents_cleared'), audit.join(','));
});

test('pointing agents keeps an agent\'s own webhook URL unless asked, and needs an admin and a key', async () => {
  const t = await voiceTenant('c');
  await stack.sim.post(`/_sim/bolna/accounts/${t.account}/agents`, { id: 'agent-c-own', agent_name: 'Own hook', webhook_url: 'https://crm.example/bolna' });
  const kept = await stack.api('POST', '/api/tenant/call-webhook/agents', { token: t.token, body: { enabled: true } });
  assert.equal(kept.status, 200, kept.text);
  const outcomes = Object.fromEntries(kept.json.agents.map((a) => [a.agent_id, a]));
  assert.equal(outcomes[t.agent].outcome, 'set');
  assert.equal(outcomes['agent-c-own'].outcome, 'kept_other');
  assert.equal(outcomes['agent-c-own'].previous_url, 'https://crm.example/bolna');
  assert.deepEqual([kept.json.changed, kept.json.kept_other, kept.json.failed], [1, 1, 0]);
  assert.equal((await upstreamAgent(t, 'agent-c-own')).webhook_url, 'https://crm.example/bolna');
  const replaced = await stack.api('POST', '/api/tenant/call-webhook/agents', { token: t.token, body: { enabled: true, replace_others: true } });
  assert.equal(Object.fromEntries(replaced.json.agents.map((a) => [a.agent_id, a.outcome]))['agent-c-own'], 'replaced');
  assert.equal((await upstreamAgent(t, 'agent-c-own')).webhook_url, t.url);
  // A body without "enabled", and a tenant without a key: refused, nothing sent upstream.
  assert.equal((await stack.api('POST', '/api/tenant/call-webhook/agents', { token: t.token, body: {} })).status, 422);
  const keyless = await signup(stack, 'Hooks keyless');
  const refused = await stack.api('POST', '/api/tenant/call-webhook/agents', { token: keyless.token, body: { enabled: true } });
  assert.equal(refused.status, 422);
  assert.equal(refused.json.error, 'validation_failed');
});

// ---------------------------------------------------------------- HubSpot

function sign(body, timestamp, uri) {
  return createHmac('sha256', CLIENT_SECRET).update('POST' + uri + body + timestamp).digest('base64');
}

async function postHubspot(body, { timestamp = String(Date.now()), signature } = {}) {
  const uri = stack.baseUrl + '/hooks/hubspot';
  return request(stack.baseUrl, 'POST', '/hooks/hubspot', {
    raw: body,
    headers: {
      'content-type': 'application/json',
      'x-hubspot-request-timestamp': timestamp,
      'x-hubspot-signature-v3': signature ?? sign(body, timestamp, uri),
    },
  });
}

test('HubSpot contact changes, deletions and merges reach the leads within seconds; forged and replayed webhooks change nothing', async () => {
  const portal = 6_000_000 + process.pid % 1000;
  const token = `pat-hooks-${portal}`;
  await stack.sim.post('/_sim/hubspot/portals', { portal_id: portal, tokens: [token], search_per_second: 0 });
  const created = await stack.sim.post(`/_sim/hubspot/portals/${portal}/contacts`, [
    { properties: { firstname: 'Ada', lastname: 'Lovelace', email: 'ada@example.com', phone: '+14155552671' } },
    { properties: { firstname: 'Alan', lastname: 'Turing', email: 'alan@example.com' } },
    { properties: { firstname: 'Grace', lastname: 'Hopper', email: 'grace@example.com' } },
  ]);
  const [ada, alan, grace] = (Array.isArray(created) ? created : created.created ?? created.items).map((c) => String(c.id));
  const t = await signup(stack, 'Hooks CRM');
  const connect = await stack.api('POST', '/api/crm/connect', { token: t.token, body: { provider: 'hubspot', access_token: token } });
  assert.equal(connect.status, 202, connect.text);
  const leads = async () => (await stack.api('GET', '/api/leads?limit=100', { token: t.token })).json.items;
  const byCrm = async (id) => (await leads()).find((l) => l.crm_id === id);
  assert.ok(await waitFor(async () => (await leads()).length === 3, 10_000), 'the first sync brings 3 leads');

  const res = await request(stack.sim.url, 'PUT', '/_sim/hubspot/webhooks', {
    body: { target_url: stack.baseUrl + '/hooks/hubspot', client_secret: CLIENT_SECRET, delay_ms: 20, duplicates: true, out_of_order: true },
  });
  assert.equal(res.status, 200, res.text);

  // A property change.
  let t0 = Date.now();
  await stack.sim.patch(`/_sim/hubspot/portals/${portal}/contacts/${ada}`, { properties: { email: 'ada@lovelace.example' } });
  assert.ok(await waitFor(async () => (await byCrm(ada))?.email === 'ada@lovelace.example', 5000),
    `the change is in the lead within 5 s (${Date.now() - t0} ms)`);
  // A deletion archives the lead.
  t0 = Date.now();
  await stack.sim.del(`/_sim/hubspot/portals/${portal}/contacts/${alan}`);
  assert.ok(await waitFor(async () => (await byCrm(alan))?.crm_archived_at, 5000),
    `the deleted contact's lead is archived within 5 s (${Date.now() - t0} ms)`);
  // A merge: Grace merged into Ada; Grace's lead is archived, Ada's stays.
  t0 = Date.now();
  await stack.sim.post(`/_sim/hubspot/portals/${portal}/contacts/${grace}/merge`, { into: Number(ada) });
  assert.ok(await waitFor(async () => (await byCrm(grace))?.crm_archived_at, 5000),
    `the merged-away contact's lead is archived within 5 s (${Date.now() - t0} ms)`);
  assert.equal((await byCrm(ada)).crm_archived_at, null);
  // The feed tells the merge as one lead.merged naming the contact it became, the deletion as
  // lead.archived.
  const feed = (await stack.api('GET', '/api/changes?types=lead.*&limit=1000', { token: t.token })).json.items;
  const graceLead = (await byCrm(grace)).id;
  const ofGrace = feed.filter((c) => c.object.id === graceLead).map((c) => c.type);
  assert.equal(ofGrace.at(-1), 'lead.merged', ofGrace.join(','));
  assert.ok(!ofGrace.includes('lead.archived'), ofGrace.join(','));
  assert.equal(feed.find((c) => c.type === 'lead.merged').object.merged_into, ada);
  assert.ok(feed.some((c) => c.type === 'lead.archived' && c.object.upstream_id === alan));
  // A restore brings the deleted one back.
  await stack.sim.post(`/_sim/hubspot/portals/${portal}/contacts/${alan}/restore`, {});
  assert.ok(await waitFor(async () => (await byCrm(alan))?.crm_archived_at === null, 5000), 'a restore un-archives');
  assert.ok((await metric('hubspot', 'duplicate')) >= 1, 'the simulator\'s duplicates were recognised');
  await waitFor(async () => (await stack.sim.get('/_sim/hubspot/webhooks')).pending === 0, 3000);
  assert.equal((await stack.sim.get('/_sim/hubspot/webhooks')).failed, 0, 'every webhook was accepted');

  // Bad input: nothing is queued or written.
  const snapshot = JSON.stringify(await leads());
  const event = (id) => ({ eventId: id, subscriptionId: 1, portalId: portal, appId: 1, occurredAt: Date.now(),
    subscriptionType: 'contact.deletion', attemptNumber: 0, objectId: Number(ada) });
  const body = JSON.stringify([event(9_000_001)]);
  const forged = await postHubspot(body, { signature: sign(body, String(Date.now()), 'http://evil.example/hooks/hubspot') });
  assert.equal(forged.status, 401);
  assert.equal(forged.json.error, 'unauthorized');
  const old = String(Date.now() - 6 * 60 * 1000);
  assert.equal((await postHubspot(body, { timestamp: old })).status, 401, 'a timestamp older than 5 minutes');
  assert.equal((await postHubspot('[{"eventId": ')).status, 400, 'malformed JSON, signed');
  const big = JSON.stringify(Array.from({ length: 101 }, (_, i) => event(9_100_000 + i)));
  assert.equal((await postHubspot(big)).status, 413, 'over 100 events');
  const unknownPortal = await postHubspot(JSON.stringify([{ ...event(9_000_002), portalId: 999 }]));
  assert.equal(unknownPortal.status, 200);
  assert.equal(unknownPortal.json.unknown_portal, 1);
  // A replay of an event already applied (the simulator's first change had eventId 1 on this
  // stack only if no other test sent any; use one we send ourselves, applied, then replayed).
  const restoreEvent = JSON.stringify([{ ...event(9_000_003), subscriptionType: 'contact.propertyChange' }]);
  const first = await postHubspot(restoreEvent);
  assert.equal(first.json.queued, 1, first.text);
  const replay = await postHubspot(restoreEvent);
  assert.equal(replay.status, 200);
  assert.equal(replay.json.duplicates, 1, 'a replayed event id is not queued again');
  await new Promise((r) => setTimeout(r, 600));
  assert.equal(JSON.stringify(await leads()), snapshot, 'the leads are as before');
  assert.ok((await metric('hubspot', 'bad_signature')) >= 2);
  assert.ok((await metric('hubspot', 'bad_body')) >= 2);
  assert.ok((await metric('hubspot', 'unknown_portal')) >= 1);
});
