// The API's contract (src/api/openapi.json): the server serves it without auth, and the check the
// harness applies to every answer (lib/contract.mjs) does reject answers that do not fit it, so a
// green functional run means the answers were checked.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { checkAnswer } from './lib/contract.mjs';
import { signup, startServer } from './lib/harness.mjs';

describe('OpenAPI contract', () => {
  let server;
  before(async () => { server = await startServer(); });
  after(async () => { await server?.stop(); });

  test('GET /api/openapi.json is the repository document, without a token', async () => {
    const res = await server.api('GET', '/api/openapi.json');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^application\/json/);
    const file = JSON.parse(readFileSync(new URL('../../src/api/openapi.json', import.meta.url), 'utf8'));
    assert.deepEqual(res.json, file);
    assert.equal(res.json.openapi, '3.1.0');
  });

  test('the check accepts real answers and rejects ones that break the contract', async () => {
    const t = await signup(server);
    const me = await server.api('GET', '/api/auth/me', { token: t.token });  // checked by the harness
    assert.equal(me.status, 200);
    const json = 'application/json';
    assert.doesNotThrow(() => checkAnswer('GET', '/api/auth/me', 200, json, me.json));
    assert.throws(() => checkAnswer('GET', '/api/auth/me', 200, json, { user: me.json.user }), /tenant/);
    assert.throws(() => checkAnswer('GET', '/api/leads?limit=5', 200, json, { items: [{ id: 'x' }], next: null }),
      /GET \/api\/leads 200/);
    // A path parameter's route is found over the literal one's, and an error must be the error shape.
    assert.throws(() => checkAnswer('GET', '/api/leads/12', 404, json, { message: 'no code' }), /error/);
    assert.doesNotThrow(() => checkAnswer('GET', '/api/leads/12', 404, json, { error: 'not_found', message: 'No such lead.' }));
    // An undocumented path may only answer errors.
    assert.throws(() => checkAnswer('GET', '/api/nothing-here', 200, json, {}), /not in src\/api\/openapi.json/);
    // Non-JSON answers (the dashboard's files, metrics) are not checked.
    assert.doesNotThrow(() => checkAnswer('GET', '/metrics', 200, 'text/plain', undefined));
  });

  test('every answer of a browse through the API fits (checked in the harness)', async () => {
    const t = await signup(server);
    for (const path of ['/api/tenant/summary', '/api/tenant/settings', '/api/leads', '/api/executions',
      '/api/agents', '/api/stats/calls', '/api/stats/agents', '/api/stats/leads', '/api/sync/runs',
      '/api/crm/status', '/api/archive', '/api/executions?limit=0', '/api/leads/abc', '/healthz', '/readyz']) {
      const res = await server.api('GET', path, { token: t.token });
      assert.ok(res.status < 500, `${path}: ${res.status}`);
    }
  });
});
