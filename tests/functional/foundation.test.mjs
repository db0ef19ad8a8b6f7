// Issue 2 over HTTP against the real binary, on SQLite and on PostgreSQL: auth, settings,
// bad input, operations endpoints, graceful shutdown, and the command line.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, startStack, signup, serverBin, stopProcess, launch } from './lib/harness.mjs';

for (const backend of ['sqlite', 'postgres']) {
  describe(`foundation on ${backend}`, () => {
    let server;
    // With the simulator: saving a key checks it with the voice platform (GET /user/me).
    before(async () => { server = await startStack({ backend, env: { TENANTSYNC_VOICE_SCHEDULE: 'off' } }); });
    after(async () => { await server?.stop(); });

    test('health, readiness and metrics', async () => {
      const health = await server.api('GET', '/healthz');
      assert.equal(health.status, 200);
      assert.equal(health.json.status, 'ok');
      const ready = await server.api('GET', '/readyz');
      assert.equal(ready.status, 200);
      assert.equal(ready.json.database, backend === 'sqlite' ? 'sqlite' : 'postgresql');
      const metrics = await server.api('GET', '/metrics');
      assert.equal(metrics.status, 200);
      assert.match(metrics.headers.get('content-type'), /text\/plain/);
      assert.match(metrics.text, /tenantsync_http_requests_total\{route="\/readyz",method="GET",status="200"\} 1/);
      assert.match(metrics.text, /tenantsync_http_request_duration_seconds_bucket\{route="\/healthz",le="\+Inf"\} 1/);
      assert.ok(health.headers.get('x-request-id'), 'every response carries a request id');
    });

    test('sign up, me, log out, log in', async () => {
      const s = await signup(server, 'Tenant One');
      assert.ok(s.token.startsWith('ts_'));
      assert.equal(typeof s.tenant_id, 'number');
      assert.equal(s.user.email, s.email);
      const me = await server.api('GET', '/api/auth/me', { token: s.token });
      assert.equal(me.status, 200);
      assert.equal(me.json.tenant.name, 'Tenant One');
      assert.equal(me.json.tenant.default_region, 'US');

      const again = await server.api('POST', '/api/auth/signup',
        { body: { tenant_name: 'Other', email: s.email.toUpperCase(), password: 'another password' } });
      assert.equal(again.status, 409);
      assert.equal(again.json.error, 'email_taken');

      const out = await server.api('POST', '/api/auth/logout', { token: s.token });
      assert.equal(out.status, 204);
      const afterLogout = await server.api('GET', '/api/auth/me', { token: s.token });
      assert.equal(afterLogout.status, 401);

      const login = await server.api('POST', '/api/auth/login', { body: { email: ` ${s.email.toUpperCase()} `, password: s.password } });
      assert.equal(login.status, 200);
      assert.equal(login.json.tenant_id, s.tenant_id);
      assert.notEqual(login.json.token, s.token);
      const wrong = await server.api('POST', '/api/auth/login', { body: { email: s.email, password: 'wrong password' } });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.json.error, 'invalid_credentials');
    });

    test('settings keep the key encrypted and show only its last 4 characters', async () => {
      const s = await signup(server);
      const initial = await server.api('GET', '/api/tenant/settings', { token: s.token });
      assert.equal(initial.status, 200);
      const { call_webhook_url: hookUrl, ...initialSettings } = initial.json;
      assert.deepEqual(initialSettings, { voice_api_key_set: false, voice_key_last4: '', voice_base_url: '',
        voice_account_id: '', default_region: 'US' });
      assert.match(hookUrl, /^http:\/\/127\.0\.0\.1:\d+\/hooks\/bolna\/ts_[A-Za-z0-9_-]{40,}$/);
      const key = 'bn-secret-key-value-7f3a';
      await server.sim.post('/_sim/bolna/accounts', { id: 'acct-foundation', key });
      // A white-label base URL (here the simulator's), given with a trailing slash.
      const put = await server.api('PUT', '/api/tenant/settings', { token: s.token,
        body: { voice_api_key: key, voice_base_url: `${server.simUrl}/`, default_region: 'gb' } });
      assert.equal(put.status, 200, put.text);
      assert.equal(put.json.voice_key_last4, '7f3a');
      assert.equal(put.json.voice_api_key_set, true);
      assert.equal(put.json.voice_base_url, server.simUrl);
      assert.equal(put.json.voice_account_id, 'acct-foundation');
      assert.equal(put.json.default_region, 'GB');
      const got = await server.api('GET', '/api/tenant/settings', { token: s.token });
      assert.ok(!got.text.includes(key), 'the key is never returned');
      assert.equal(got.json.default_region, 'GB');
      const me = await server.api('GET', '/api/auth/me', { token: s.token });
      assert.equal(me.json.tenant.default_region, 'GB');
      if (backend === 'sqlite') {
        for (const f of ['tenantsync.db', 'tenantsync.db-wal']) {
          const path = join(server.dir, f);
          if (existsSync(path)) assert.ok(!readFileSync(path).includes(key), `${f} holds the key in clear`);
        }
      }
      const badRegion = await server.api('PUT', '/api/tenant/settings', { token: s.token, body: { default_region: 'USA' } });
      assert.equal(badRegion.status, 422);
      assert.match(badRegion.json.message, /default_region/);
      const badUrl = await server.api('PUT', '/api/tenant/settings', { token: s.token, body: { voice_base_url: 'ftp://x' } });
      assert.equal(badUrl.status, 422);
      assert.match(badUrl.json.message, /voice_base_url/);
    });

    test('bad input gets a clear JSON error, never a crash', async () => {
      const s = await signup(server);
      const cases = [
        [await server.api('POST', '/api/auth/login', { raw: '{"email":', headers: { 'content-type': 'application/json' } }), 400, 'malformed_json'],
        [await server.api('POST', '/api/auth/login', { raw: '[1,2]' }), 400, 'malformed_json'],
        [await server.api('POST', '/api/auth/login', { body: { email: 'a@b.co' } }), 422, 'validation_failed', /password/],
        [await server.api('POST', '/api/auth/login', { body: { email: 5, password: 'x' } }), 422, 'validation_failed', /email/],
        [await server.api('POST', '/api/auth/signup', { body: { tenant_name: 'x', email: 'not-an-email', password: 'long enough' } }), 422, 'validation_failed', /email/],
        [await server.api('POST', '/api/auth/signup', { body: { tenant_name: 'x', email: 'a@b.co', password: 'short' } }), 422, 'validation_failed', /password/],
        [await server.api('PUT', '/api/tenant/settings', { token: s.token, body: { voice_api_key: 42 } }), 422, 'validation_failed', /voice_api_key/],
        [await server.api('GET', '/api/nothing-here', { token: s.token }), 404, 'not_found'],
        [await server.api('DELETE', '/api/tenant/settings', { token: s.token }), 405, 'method_not_allowed'],
        [await server.api('GET', '/api/tenant/settings'), 401, 'unauthorized'],
        [await server.api('GET', '/api/tenant/settings', { token: 'ts_forged' }), 401, 'unauthorized'],
        [await server.api('GET', '/api/tenant/settings', { headers: { authorization: 'Basic abc' } }), 401, 'unauthorized'],
        [await server.api('POST', '/api/auth/login', { raw: 'x'.repeat(2 * 1024 * 1024) }), 413, 'payload_too_large'],
      ];
      for (const [res, status, code, messagePattern] of cases) {
        assert.equal(res.status, status, `${code}: ${res.text.slice(0, 200)}`);
        assert.equal(res.json.error, code);
        assert.equal(typeof res.json.message, 'string');
        if (messagePattern) assert.match(res.json.message, messagePattern);
      }
      const allow = await server.api('DELETE', '/api/tenant/settings', { token: s.token });
      assert.match(allow.headers.get('allow'), /GET/);
      // The server is still healthy after all of that.
      assert.equal((await server.api('GET', '/healthz')).status, 200);
    });

    test('repeated failed logins are slowed per account', async () => {
      const s = await signup(server);
      let last;
      for (let i = 0; i < 8; i++) {
        last = await server.api('POST', '/api/auth/login', { body: { email: s.email, password: `wrong-${i}` } });
        if (last.status === 429) break;
      }
      assert.equal(last.status, 429);
      assert.equal(last.json.error, 'too_many_attempts');
      // Even the right password waits until the lock ends.
      const right = await server.api('POST', '/api/auth/login', { body: { email: s.email, password: s.password } });
      assert.equal(right.status, 429);
    });
  });
}

test('tokens expire', async () => {
  const server = await startServer({ env: { TENANTSYNC_TOKEN_TTL: '1s' } });
  try {
    const s = await signup(server);
    assert.equal((await server.api('GET', '/api/auth/me', { token: s.token })).status, 200);
    await sleep(1300);
    const expired = await server.api('GET', '/api/auth/me', { token: s.token });
    assert.equal(expired.status, 401);
    assert.match(expired.json.message, /expired/);
  } finally { await server.stop(); }
});

test('signup can be disabled', async () => {
  const server = await startServer({ env: { TENANTSYNC_ALLOW_SIGNUP: 'false' } });
  try {
    const res = await server.api('POST', '/api/auth/signup', { body: { tenant_name: 'x', email: 'a@b.co', password: 'long enough' } });
    assert.equal(res.status, 403);
    assert.equal(res.json.error, 'signup_disabled');
  } finally { await server.stop(); }
});

test('SIGTERM drains and exits cleanly', async () => {
  const server = await startServer();
  const result = await server.stop();
  assert.equal(result.code, 0, server.proc.output());
});

test('invalid configuration is refused with what to fix', () => {
  let error;
  try {
    execFileSync(serverBin, ['serve'], { env: { ...process.env, TENANTSYNC_LISTEN: 'nowhere', TENANTSYNC_DATABASE_URL: 'mysql://x' }, stdio: 'pipe' });
  } catch (e) { error = e; }
  assert.ok(error, 'serve must fail');
  assert.equal(error.status, 2);
  const stderr = error.stderr.toString();
  assert.match(stderr, /TENANTSYNC_LISTEN must be HOST:PORT/);
  assert.match(stderr, /TENANTSYNC_DATABASE_URL must be sqlite:PATH/);
});

test('migrate and admin create-user from the command line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tenantsync-cli-'));
  const env = { ...process.env, TENANTSYNC_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, TENANTSYNC_PASSWORD_HASH: 'minimal', TENANTSYNC_ENV: 'test',
    TENANTSYNC_SECRET_KEY_FILE: join(dir, 'secret.key'), TENANTSYNC_LOG_LEVEL: 'warn' };
  try {
    const migrated = execFileSync(serverBin, ['migrate'], { env }).toString();
    assert.match(migrated, /schema version [1-9]\d* \(sqlite\)/);
    assert.match(execFileSync(serverBin, ['migrate'], { env }).toString(), /schema version/);
    const created = execFileSync(serverBin, ['admin', 'create-user', '--email', 'Admin@Example.com', '--tenant', 'Ops', '--create-tenant'],
      { env: { ...env, TENANTSYNC_ADMIN_PASSWORD: 'admin password 1' } }).toString();
    assert.match(created, /created tenant \d+ \(Ops\) and user admin@example.com/);
    const second = execFileSync(serverBin, ['admin', 'create-user', '--email', 'two@example.com', '--tenant', 'Ops', '--password', 'second password'],
      { env }).toString();
    assert.match(second, /created user two@example.com in tenant \d+/);
    const server = await startServer({ databaseUrl: env.TENANTSYNC_DATABASE_URL, dir, env: { TENANTSYNC_SECRET_KEY_FILE: env.TENANTSYNC_SECRET_KEY_FILE } });
    try {
      const login = await server.api('POST', '/api/auth/login', { body: { email: 'two@example.com', password: 'second password' } });
      assert.equal(login.status, 200);
      const admin = await server.api('POST', '/api/auth/login', { body: { email: 'admin@example.com', password: 'admin password 1' } });
      assert.equal(admin.json.tenant_id, login.json.tenant_id);
    } finally { await stopProcess(server.proc); }
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('a TOML file given with --config works before or after the command', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tenantsync-config-'));
  const configFile = join(dir, 'tenantsync.toml');
  const database = join(dir, 'from-file.sqlite');
  const portFile = join(dir, 'port');
  writeFileSync(configFile, [
    'listen = "127.0.0.1:0"',
    `database_url = "sqlite:${database}"`,
    `secret_key_file = "${join(dir, 'secret.key')}"`,
    'password_hash = "minimal"',
    'env = "test"',
    'log_level = "warn"',
    `web_root = "${join(dir, 'no-web')}"`,
  ].join('\n') + '\n');
  // Only the file configures it: no TENANTSYNC_* setting comes from the environment.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TENANTSYNC_')));
  try {
    assert.match(execFileSync(serverBin, ['migrate', '--config', configFile], { env }).toString(), /schema version [1-9]\d* \(sqlite\)/);
    assert.ok(existsSync(database), 'migrate used the database the file names');
    assert.match(execFileSync(serverBin, ['--config', configFile, 'migrate'], { env }).toString(), /schema version/);
    const proc = launch(serverBin, ['serve', '--config', configFile, '--port-file', portFile], env);
    try {
      let port = '';
      for (let i = 0; i < 600 && !port; i++) {
        if (proc.exitCode !== null) assert.fail(`serve --config exited with ${proc.exitCode}:\n${proc.output()}`);
        if (existsSync(portFile)) port = readFileSync(portFile, 'utf8').trim();
        if (!port) await sleep(50);
      }
      assert.ok(port, 'serve --config wrote its port');
      const health = await fetch(`http://127.0.0.1:${port}/readyz`);
      assert.equal(health.status, 200);
    } finally { await stopProcess(proc); }
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
