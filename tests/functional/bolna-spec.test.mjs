// A voice sync against Bolna's own official OpenAPI spec, served by Stoplight Prism from its
// examples (tests/prism: `scripts/npm-ci.sh tests/prism` first). The examples are what a new user
// trying a mock would meet: an executions page that says has_more with page_number 0 forever, and
// records with an impossible time (…T04:22:89Z). The sync must mirror the spec's agent, phone
// number and batch, stop paging the executions within two pages, and answer "Sync completed with
// warnings" naming the executions. A counting proxy in front of Prism sees every request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request as httpRequest } from 'node:http';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { launch, signup, startServer, stopProcess } from './lib/harness.mjs';

const prismDir = fileURLToPath(new URL('../prism/', import.meta.url));
const prismBin = `${prismDir}node_modules/.bin/prism`;
const spec = `${prismDir}bolna-openapi.yml`;

// The ids of the spec's examples.
const kAgentId = '497f6eca-6276-4993-bfeb-53cbbbba6f08';
const kPhoneNumberId = '3c90c3cc0d444b5088888dd25736052a';
const kBatchId = '3c90c3cc0d444b5088888dd25736052a';

/** A free loopback port: Prism wants one named. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function startPrism() {
  if (!existsSync(prismBin)) throw new Error(`Prism is not installed: run scripts/npm-ci.sh tests/prism (${prismBin})`);
  const port = await freePort();
  const proc = launch(prismBin, ['mock', '--host', '127.0.0.1', '--port', String(port), spec], {});
  for (const until = Date.now() + 30_000; Date.now() < until;) {
    if (proc.output().includes('Prism is listening')) return { url: `http://127.0.0.1:${port}`, proc };
    if (proc.exitCode !== null) break;
    await sleep(50);
  }
  await stopProcess(proc);
  throw new Error(`Prism did not start:\n${proc.output().slice(-4000)}`);
}

/** Forwards every request to `target` and records it: {method, path, query, status}. */
async function startCountingProxy(target) {
  const seen = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url, target);
    const entry = { method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), status: 0 };
    seen.push(entry);
    const upstream = httpRequest(url, { method: req.method, headers: { ...req.headers, host: url.host } }, (answer) => {
      entry.status = answer.statusCode;
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', (error) => { res.writeHead(502); res.end(String(error)); });
    req.pipe(upstream);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    seen,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }),
  };
}

let prism;
let proxy;
let server;
before(async () => {
  prism = await startPrism();
  proxy = await startCountingProxy(prism.url);
  server = await startServer({
    env: { TENANTSYNC_BOLNA_URL: proxy.url, TENANTSYNC_VOICE_SCHEDULE: 'off', TENANTSYNC_CRM_SCHEDULE: 'off',
           TENANTSYNC_SYNC_WAIT: '20s' },
  });
});
after(async () => {
  await server?.stop();
  await proxy?.close();
  if (prism) await stopProcess(prism.proc);
});

async function waitRun(t, runId) {
  for (const until = Date.now() + 30_000; Date.now() < until;) {
    const run = (await server.api('GET', `/api/sync/runs/${runId}`, { token: t.token })).json;
    if (!['queued', 'running'].includes(run.state)) return run;
    await sleep(100);
  }
  throw new Error(`run ${runId} did not finish`);
}

const executionPages = () => proxy.seen.filter((r) => /^\/v2\/agent\/[^/]+\/executions$/.test(r.path));

test('a sync against the Prism mock of Bolna\'s official spec keeps what it could read', async () => {
  const t = await signup(server, 'Spec');
  // The tenant's own base URL, as a new user would set it: the key check reads GET /user/me.
  const put = await server.api('PUT', '/api/tenant/settings', {
    token: t.token, body: { voice_api_key: 'bn-spec-key', voice_base_url: proxy.url },
  });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.json.voice_account_id, kAgentId);  // the spec's user has the same example id
  const first = await waitRun(t, put.json.sync.run_id);
  assert.equal(first.state, 'succeeded', JSON.stringify(first));

  proxy.seen.length = 0;
  const started = Date.now();
  const res = await server.api('POST', '/api/tenant/sync', { token: t.token, body: {} });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.success, true, res.text);
  assert.equal(res.json.message, 'Sync completed with warnings', res.text);
  assert.ok(Date.now() - started < 15_000, `the sync took ${Date.now() - started} ms`);

  // The endless executions listing was stopped within two pages, as not completely read.
  const pages = executionPages();
  assert.ok(pages.length >= 1 && pages.length <= 2, `executions pages read: ${JSON.stringify(pages)}`);
  assert.deepEqual(pages.map((p) => p.query.page_number), ['1', '2'].slice(0, pages.length));
  const notRead = res.json.warnings.filter((w) => w.code !== 'record_warning');
  assert.deepEqual(notRead.map((w) => [w.resource, w.code]), [['executions', 'upstream_paging_loop']], res.text);
  assert.match(notRead[0].message, /Executions of agent .* were not read/);

  // The impossible time is stored as unknown, with a warning; the record itself is kept.
  assert.ok(res.json.warnings.some((w) => w.resource === 'phone_numbers' && w.code === 'record_warning' &&
                                           w.message.includes('2024-02-29T04:22:89Z')), res.text);

  // The spec's agent, phone number and batch are mirrored; no execution was.
  const list = async (path) => (await server.api('GET', path, { token: t.token })).json.items;
  assert.deepEqual((await list('/api/agents')).map((a) => a.upstream_id), [kAgentId]);
  const numbers = await list('/api/phone-numbers');
  assert.deepEqual(numbers.map((n) => n.upstream_id), [kPhoneNumberId]);
  assert.equal(numbers[0].fields.phone_number, '+19876543210');
  assert.deepEqual((await list('/api/campaigns')).map((c) => c.upstream_id), [kBatchId]);
  assert.deepEqual(await list('/api/executions'), []);
  const summary = (await server.api('GET', '/api/tenant/summary', { token: t.token })).json;
  assert.deepEqual(summary.counts, { agents: 1, phone_numbers: 1, campaigns: 1, executions: 0, leads: 0 });
  assert.equal(summary.sync_state, 'warning');
  assert.equal(summary.last_sync.message, 'Sync completed with warnings');
  assert.deepEqual(summary.last_sync.not_read.map((w) => w.resource), ['executions']);

  // Every call tenantsync made reached Prism and was answered 200 (none of its 4xx examples).
  assert.ok(proxy.seen.length > 0);
  for (const r of proxy.seen) assert.equal(r.status, 200, `${r.method} ${r.path}`);
});
