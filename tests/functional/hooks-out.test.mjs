// Signed webhooks out and the change feed, against the real binary and a receiver in this test
// (on loopback): every delivery's signature verifies, every change arrives once and in order of
// seq even across the receiver's own downtime, a failing receiver is retried and finally given
// up on, the feed pages from any cursor, private addresses need the operator's allowance, and
// another tenant sees none of it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, signup } from './lib/harness.mjs';

// The receiver's outage in the downtime test: a whole minute, as a receiver's deploy or restart
// takes; HOOKS_OUT_OUTAGE_MS shortens it for a quick local run (the short backoff below makes the
// catch-up quick either way).
const outageMs = Number(process.env.HOOKS_OUT_OUTAGE_MS ?? 60_000);

const webhookEnv = {
  TENANTSYNC_VOICE_SCHEDULE: 'off',
  TENANTSYNC_CRM_SCHEDULE: 'off',
  TENANTSYNC_WEBHOOK_BACKOFF: '200ms',
  TENANTSYNC_WEBHOOK_BACKOFF_MAX: '1s',
  TENANTSYNC_WEBHOOK_TIMEOUT: '2s',
  TENANTSYNC_WEBHOOK_POLL: '50ms',
};

let server;
before(async () => { server = await startServer({ env: webhookEnv }); });
after(async () => { await server?.stop(); });

/** Checks X-Tenantsync-Signature the way a receiver should: HMAC-SHA256(secret, t + "." + body). */
function verify(secret, header, body) {
  const parts = Object.fromEntries(String(header ?? '').split(',').map((p) => p.split('=')));
  if (!/^\d+$/.test(parts.t ?? '') || !/^[0-9a-f]{64}$/.test(parts.v1 ?? '')) return false;
  if (Math.abs(Date.now() / 1000 - Number(parts.t)) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${parts.t}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(parts.v1, 'hex'));
}

/** A loopback receiver; `answer(req, body)` picks the status (default 200). Can go down and up on its port. */
async function startReceiver(answer = () => 200) {
  const received = [];
  let port = 0;
  let http;
  const listen = () => new Promise((resolve) => {
    http = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => { body += d; });
      req.on('end', () => {
        received.push({ headers: req.headers, body, json: JSON.parse(body) });
        res.writeHead(answer(req, body)).end('ok');
      });
    });
    http.listen(port, '127.0.0.1', () => { port = http.address().port; resolve(); });
  });
  const close = () => new Promise((resolve) => { http.closeAllConnections(); http.close(() => resolve()); });
  await listen();
  return { received, url: () => `http://127.0.0.1:${port}/hooks/tenantsync`, down: close, up: listen, close };
}

async function until(what, predicate, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return;
    await sleep(50);
  }
  assert.fail(`timed out waiting for ${what}`);
}

let leadCounter = 0;
async function addLead(t) {
  const n = leadCounter++;
  const res = await server.api('POST', '/api/leads', {
    token: t.token, body: { name: `Lead ${n}`, email: `lead${n}-${process.pid}@example.com` },
  });
  assert.equal(res.status, 201, res.text);
  return res.json;
}

async function allChanges(t, query = '') {
  const out = [];
  let cursor = '0';
  for (;;) {
    const res = await server.api('GET', `/api/changes?limit=3&cursor=${cursor}${query}`, { token: t.token });
    assert.equal(res.status, 200, res.text);
    out.push(...res.json.items);
    if (res.json.items.length === 0) return out;
    cursor = res.json.next_cursor;
  }
}

test('every change reaches the receiver once, in order of seq, signed, across its downtime', async () => {
  const receiver = await startReceiver();
  try {
    const t = await signup(server, 'HooksOut');
    const created = await server.api('POST', '/api/webhooks', {
      token: t.token, body: { url: receiver.url(), events: ['lead.*'] },
    });
    assert.equal(created.status, 201, created.text);
    const { id, secret } = created.json;
    assert.match(secret, /^whsec_[0-9a-f]{64}$/);
    // The secret is shown once: the list and the endpoint do not carry it.
    const listed = await server.api('GET', '/api/webhooks', { token: t.token });
    assert.equal(listed.json.items.length, 1);
    assert.equal(listed.json.items[0].secret, undefined);
    assert.deepEqual(listed.json.items[0].events, ['lead.*']);

    for (let i = 0; i < 5; ++i) await addLead(t);
    await until('the first 5 deliveries', () => receiver.received.length >= 5);

    await receiver.down();
    const downAt = Date.now();
    for (let i = 0; i < 10; ++i) await addLead(t);
    // Deliveries fail meanwhile and are retried with backoff.
    await until('a failed attempt in the log', async () => {
      const log = await server.api('GET', `/api/webhooks/${id}/deliveries`, { token: t.token });
      return log.json.items.some((d) => d.state === 'pending' && d.attempts > 0 && d.last_error);
    });
    await sleep(Math.max(0, outageMs - (Date.now() - downAt)));
    await receiver.up();
    await until('all 15 deliveries', () => receiver.received.length >= 15, 30000);
    await sleep(500);  // nothing more may come

    const feed = await allChanges(t, '&types=lead.*');
    assert.equal(feed.length, 15);
    const seqs = receiver.received.map((r) => r.json.seq);
    assert.deepEqual(seqs, feed.map((c) => c.seq), 'every change once, in order of seq');
    for (const r of receiver.received) {
      assert.ok(verify(secret, r.headers['x-tenantsync-signature'], r.body), 'signature verifies');
      assert.equal(r.headers['x-tenantsync-delivery'], r.json.id);
      assert.equal(r.headers['x-tenantsync-event'], 'lead.created');
      assert.equal(r.json.type, 'lead.created');
      assert.equal(r.json.object.kind, 'lead');
    }
    assert.equal(new Set(receiver.received.map((r) => r.json.id)).size, 15, 'one delivery id per change');

    const log = await server.api('GET', `/api/webhooks/${id}/deliveries?limit=200`, { token: t.token });
    assert.equal(log.status, 200, log.text);
    assert.equal(log.json.items.length, 15);
    assert.ok(log.json.items.every((d) => d.state === 'succeeded' && d.last_status === 200));
    assert.ok(log.json.items.some((d) => d.attempts > 1), 'the outage cost retries');

    // Redeliver: the same body and delivery id, signed again.
    const first = log.json.items[log.json.items.length - 1];
    const again = await server.api('POST', `/api/webhooks/${id}/deliveries/${first.id}/redeliver`, { token: t.token });
    assert.equal(again.status, 202, again.text);
    await until('the redelivery', () => receiver.received.length >= 16);
    const redelivered = receiver.received[15];
    assert.equal(redelivered.json.id, first.delivery_id);
    assert.equal(redelivered.body, receiver.received[0].body);
    assert.ok(verify(secret, redelivered.headers['x-tenantsync-signature'], redelivered.body));

    // Rotating the secret: later deliveries verify with the new one only.
    const rotated = await server.api('POST', `/api/webhooks/${id}/rotate-secret`, { token: t.token });
    assert.equal(rotated.status, 200, rotated.text);
    assert.notEqual(rotated.json.secret, secret);
    await addLead(t);
    await until('the delivery after rotation', () => receiver.received.length >= 17);
    const last = receiver.received[16];
    assert.ok(verify(rotated.json.secret, last.headers['x-tenantsync-signature'], last.body));
    assert.ok(!verify(secret, last.headers['x-tenantsync-signature'], last.body));

    // Only the events asked for: a run's end is not a lead event. Changing events and deleting.
    const patched = await server.api('PATCH', `/api/webhooks/${id}`, {
      token: t.token, body: { events: ['lead.created', 'run.finished'], active: false },
    });
    assert.equal(patched.status, 200, patched.text);
    assert.deepEqual(patched.json.events, ['lead.created', 'run.finished']);
    assert.equal(patched.json.active, false);
    await addLead(t);
    await sleep(500);
    assert.equal(receiver.received.length, 17, 'an inactive webhook gets nothing');
    const removed = await server.api('DELETE', `/api/webhooks/${id}`, { token: t.token });
    assert.equal(removed.status, 200, removed.text);
    assert.equal((await server.api('GET', `/api/webhooks/${id}`, { token: t.token })).status, 404);
  } finally {
    await receiver.close().catch(() => {});
  }
});

test('a receiver that keeps failing is retried with the same delivery id, then the delivery is failed', async () => {
  const failing = await startServer({ env: { ...webhookEnv, TENANTSYNC_WEBHOOK_RETRY_WINDOW: '2s' } });
  const receiver = await startReceiver(() => 503);
  try {
    const t = await signup(failing, 'Failing');
    const created = await failing.api('POST', '/api/webhooks', { token: t.token, body: { url: receiver.url() } });
    assert.equal(created.status, 201, created.text);
    const lead = await failing.api('POST', '/api/leads', { token: t.token, body: { name: 'F', email: `f-${process.pid}@example.com` } });
    assert.equal(lead.status, 201, lead.text);
    let log;
    await until('the delivery to be failed', async () => {
      log = await failing.api('GET', `/api/webhooks/${created.json.id}/deliveries`, { token: t.token });
      return log.json.items.length === 1 && log.json.items[0].state === 'failed';
    });
    const d = log.json.items[0];
    assert.equal(d.last_status, 503);
    assert.ok(d.attempts >= 2, `retried (${d.attempts} attempts)`);
    assert.equal(receiver.received.length, d.attempts);
    assert.ok(receiver.received.every((r) => r.json.id === d.delivery_id), 'one idempotency id for every attempt');
    // Intervals grow (backoff), each attempt signed.
    assert.ok(receiver.received.every((r) => verify(created.json.secret, r.headers['x-tenantsync-signature'], r.body)));
  } finally {
    await receiver.close().catch(() => {});
    await failing.stop();
  }
});

test('the change feed pages in order from any cursor and filters by type', async () => {
  const t = await signup(server, 'Feed');
  for (let i = 0; i < 7; ++i) await addLead(t);
  const all = await allChanges(t);
  assert.equal(all.length, 7);
  const seqs = all.map((c) => c.seq);
  assert.deepEqual([...seqs].sort((a, b) => a - b), seqs);
  assert.ok(all.every((c) => c.type === 'lead.created' && c.object.kind === 'lead' && c.object.source === 'manual'));
  // From any cursor: exactly the entries after it.
  for (const [i, c] of all.entries()) {
    const res = await server.api('GET', `/api/changes?cursor=${c.seq}&limit=100`, { token: t.token });
    assert.deepEqual(res.json.items.map((x) => x.seq), seqs.slice(i + 1));
  }
  const empty = await server.api('GET', `/api/changes?cursor=${seqs.at(-1)}`, { token: t.token });
  assert.equal(empty.json.next_cursor, String(seqs.at(-1)), 'an empty page keeps the cursor');
  const none = await server.api('GET', '/api/changes?types=execution.*', { token: t.token });
  assert.deepEqual(none.json.items, []);
  assert.equal((await server.api('GET', '/api/changes?types=nope', { token: t.token })).status, 400);
  assert.equal((await server.api('GET', '/api/changes?cursor=abc', { token: t.token })).status, 400);
  assert.equal((await server.api('GET', '/api/changes')).status, 401);
});

test("another tenant's feed and webhooks are invisible", async () => {
  const a = await signup(server, 'A');
  const b = await signup(server, 'B');
  await addLead(a);
  const hook = await server.api('POST', '/api/webhooks', { token: a.token, body: { url: 'http://127.0.0.1:9/a' } });
  assert.equal(hook.status, 201, hook.text);
  const id = hook.json.id;
  assert.deepEqual((await server.api('GET', '/api/changes', { token: b.token })).json.items, []);
  assert.deepEqual((await server.api('GET', '/api/webhooks', { token: b.token })).json.items, []);
  for (const [method, path, body] of [
    ['GET', `/api/webhooks/${id}`], ['PATCH', `/api/webhooks/${id}`, { active: false }],
    ['DELETE', `/api/webhooks/${id}`], ['POST', `/api/webhooks/${id}/rotate-secret`],
    ['GET', `/api/webhooks/${id}/deliveries`], ['POST', `/api/webhooks/${id}/deliveries/1/redeliver`],
  ]) {
    const res = await server.api(method, path, { token: b.token, body });
    assert.equal(res.status, 404, `${method} ${path}: ${res.text}`);
  }
  assert.equal((await server.api('GET', `/api/webhooks/${id}`, { token: a.token })).json.active, true);
});

test('webhook URLs pass the outbound-address rules: private addresses need the operator allowance', async () => {
  const strict = await startServer({ allowPrivateUpstreams: false, env: webhookEnv });
  try {
    const t = await signup(strict, 'Strict');
    // Nothing is sent anywhere: these are refused when saved.
    for (const url of ['http://127.0.0.1:9/x', 'https://127.0.0.1/x', 'https://10.0.0.1/hook', 'https://169.254.169.254/x',
      'https://[::1]/x', 'https://localhost/x', 'http://example.com/x']) {
      const res = await strict.api('POST', '/api/webhooks', { token: t.token, body: { url } });
      assert.equal(res.status, 422, `${url}: ${res.text}`);
      assert.equal(res.json.error, 'forbidden_upstream');
    }
    for (const body of [{ url: 'ftp://example.com/x' }, { url: 'https://example.com/x?q=1' }, { url: 'https://example.com', events: ['nope'] }, {}]) {
      const res = await strict.api('POST', '/api/webhooks', { token: t.token, body });
      assert.equal(res.status, 422, `${JSON.stringify(body)}: ${res.text}`);
    }
    assert.deepEqual((await strict.api('GET', '/api/webhooks', { token: t.token })).json.items, []);
    // A public https URL is accepted. It is never called: the tenant has no changes, and it is
    // deleted at once.
    const ok = await strict.api('POST', '/api/webhooks', { token: t.token, body: { url: 'https://example.com/hooks' } });
    assert.equal(ok.status, 201, ok.text);
    assert.equal((await strict.api('DELETE', `/api/webhooks/${ok.json.id}`, { token: t.token })).status, 200);
  } finally {
    await strict.stop();
  }
  // With the allowance (the test server's default), loopback is accepted.
  const t = await signup(server, 'Allowed');
  const res = await server.api('POST', '/api/webhooks', { token: t.token, body: { url: 'http://127.0.0.1:9/x' } });
  assert.equal(res.status, 201, res.text);
});
