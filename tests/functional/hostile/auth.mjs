// Issue 9, items 6-8: sign-in that a stranger cannot turn against the server or other users,
// secrets at rest that survive a lost or rotated key, and answers and logs that reveal nothing.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { serverBin, signup, startServer, startStack } from '../lib/harness.mjs';

const kPassword = 'correct horse battery';

function email(tag) {
  return `${tag}-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

// A login or sign-up as if a proxy forwarded it for `forwardedFor`.
function via(forwardedFor) {
  return forwardedFor ? { 'x-forwarded-for': forwardedFor } : {};
}

describe('auth: input is bounded before any work', () => {
  let server;
  before(async () => { server = await startServer({ env: { TENANTSYNC_SIGNUP_BURST: '2' } }); });
  after(async () => { await server?.stop(); });

  test('a huge e-mail or password is refused with 422 and never reaches a throttle or a hash', async () => {
    const huge = 'a'.repeat(300_000);
    const cases = [
      ['/api/auth/signup', { tenant_name: 'X', email: `${huge}@example.com`, password: kPassword }, /email/],
      ['/api/auth/signup', { tenant_name: 'X', email: email('long-pw'), password: huge }, /password/],
      ['/api/auth/login', { email: `${huge}@example.com`, password: kPassword }, /email/],
      ['/api/auth/login', { email: email('long-pw'), password: huge }, /password/],
    ];
    for (let round = 0; round < 3; ++round) {
      for (const [path, body, field] of cases) {
        const started = Date.now();
        const res = await server.api('POST', path, { body });
        assert.equal(res.status, 422, `${path}: ${res.text.slice(0, 200)}`);
        assert.equal(res.json.error, 'validation_failed');
        assert.match(res.json.message, field);
        assert.ok(Date.now() - started < 2000, `${path} took ${Date.now() - started} ms`);
      }
    }
    // None of the 6 refused sign-ups counted against this address's burst of 2.
    await signup(server, 'First');
    await signup(server, 'Second');
  });
});

// Fails logins for unknown e-mails (so only the address key counts) until the address is locked
// for at least 4 s: each failure after the fifth doubles the lock (1 s, 2 s, 4 s). `headers(i)`
// gives the i-th attempt's headers. Returns the attempts' statuses.
async function lockAddress(server, headers) {
  const statuses = [];
  for (let i = 0; i < 16; ++i) {
    const res = await server.api('POST', '/api/auth/login', {
      body: { email: email(`guess${i}`), password: 'wrong password' }, headers: headers(i),
    });
    statuses.push(res.status);
    if (res.status === 429) {
      const seconds = Number(/try again in (\d+) s/.exec(res.json.message)?.[1] ?? 0);
      if (seconds >= 4) return statuses;
      await new Promise((r) => setTimeout(r, seconds * 1000 + 50));
    } else {
      assert.equal(res.status, 401, res.text);
    }
  }
  return statuses;
}

describe('auth: X-Forwarded-For names the client only behind a trusted proxy', () => {
  test('without trusted proxies the header is ignored: the address throttle still locks', async () => {
    const server = await startServer();
    try {
      // Every attempt claims another address; the throttle sees the one connection address.
      const statuses = await lockAddress(server, (i) => via(`198.51.100.${i + 1}`));
      assert.ok(statuses.includes(429), `never locked: ${statuses}`);
      const locked = await server.api('POST', '/api/auth/login', {
        body: { email: email('nobody-else'), password: 'wrong password' }, headers: via('198.51.100.99'),
      });
      assert.equal(locked.status, 429, locked.text);
      assert.equal(locked.json.error, 'too_many_attempts');
    } finally {
      await server.stop();
    }
  });

  test('behind a trusted proxy the rightmost untrusted hop is the client, whatever the client wrote', async () => {
    const server = await startServer({ env: { TENANTSYNC_TRUSTED_PROXIES: '127.0.0.0/8, ::1' } });
    try {
      const attacker = '203.0.113.7';
      const statuses = await lockAddress(server, () => via(attacker));
      assert.ok(statuses.includes(429), `never locked: ${statuses}`);
      // The attacker's address is locked, even when it puts another address in front of its own.
      for (const header of [attacker, `192.0.2.55, ${attacker}`, `192.0.2.56,${attacker}, 127.0.0.1`]) {
        const res = await server.api('POST', '/api/auth/login', {
          body: { email: email('guess-more'), password: 'wrong password' }, headers: via(header),
        });
        assert.equal(res.status, 429, `${header}: ${res.text}`);
      }
      // Another client behind the same proxy is not.
      const other = await server.api('POST', '/api/auth/login', {
        body: { email: email('someone'), password: 'wrong password' }, headers: via('203.0.113.8'),
      });
      assert.equal(other.status, 401, other.text);
    } finally {
      await server.stop();
    }
  });
});

describe('auth: sign-up is throttled per address', () => {
  test('a burst, then 429; another address behind the trusted proxy still signs up', async () => {
    const server = await startServer({ env: { TENANTSYNC_SIGNUP_BURST: '3', TENANTSYNC_TRUSTED_PROXIES: '127.0.0.1' } });
    try {
      const attempt = (name, forwardedFor) => server.api('POST', '/api/auth/signup', {
        body: { tenant_name: name, email: email(name), password: kPassword }, headers: via(forwardedFor),
      });
      for (let i = 0; i < 3; ++i) assert.equal((await attempt(`burst${i}`, '203.0.113.20')).status, 201);
      const refused = await attempt('one-too-many', '203.0.113.20');
      assert.equal(refused.status, 429, refused.text);
      assert.equal(refused.json.error, 'too_many_attempts');
      assert.match(refused.json.message, /try again in \d+ s/);
      assert.equal((await attempt('elsewhere', '203.0.113.21')).status, 201);
    } finally {
      await server.stop();
    }
  });
});

describe('auth: log out everywhere', () => {
  let server;
  before(async () => { server = await startServer(); });
  after(async () => { await server?.stop(); });

  test('POST /api/auth/logout-all revokes every token of the user and nobody else\'s', async () => {
    const me = await signup(server, 'Everywhere');
    const other = await signup(server, 'Bystander');
    const tokens = [me.token];
    for (let i = 0; i < 2; ++i) {
      const login = await server.api('POST', '/api/auth/login', { body: { email: me.email, password: me.password } });
      assert.equal(login.status, 200, login.text);
      tokens.push(login.json.token);
    }
    for (const token of tokens) assert.equal((await server.api('GET', '/api/auth/me', { token })).status, 200);
    const res = await server.api('POST', '/api/auth/logout-all', { token: tokens[1] });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.revoked, 3);
    for (const token of tokens) {
      const me2 = await server.api('GET', '/api/auth/me', { token });
      assert.equal(me2.status, 401, `a token survived logout-all: ${me2.text}`);
    }
    assert.equal((await server.api('GET', '/api/auth/me', { token: other.token })).status, 200);
    assert.equal((await server.api('POST', '/api/auth/logout-all', {})).status, 401);
  });
});

describe('auth: the cheap test hash is refused outside a test environment', () => {
  test('TENANTSYNC_PASSWORD_HASH=minimal without TENANTSYNC_ENV=test does not start', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenantsync-minimal-'));
    try {
      const env = { ...process.env, TENANTSYNC_PASSWORD_HASH: 'minimal', TENANTSYNC_LISTEN: '127.0.0.1:0',
        TENANTSYNC_DATABASE_URL: `sqlite:${join(dir, 'db')}`, TENANTSYNC_SECRET_KEY_FILE: join(dir, 'key') };
      delete env.TENANTSYNC_ENV;
      const run = spawnSync(serverBin, ['serve'], { env, encoding: 'utf8', timeout: 10_000 });
      assert.equal(run.status, 2, run.stderr);
      assert.match(run.stderr, /TENANTSYNC_PASSWORD_HASH minimal .*TENANTSYNC_ENV=test/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('responses: security headers', () => {
  let server;
  let webRoot;
  before(async () => {
    webRoot = mkdtempSync(join(tmpdir(), 'tenantsync-web-'));
    mkdirSync(join(webRoot, 'assets'));
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>t</title><script type="module" src="/assets/app.js"></script>');
    writeFileSync(join(webRoot, 'assets', 'app.js'), 'console.log(1);');
    server = await startServer({ webRoot });
  });
  after(async () => { await server?.stop(); rmSync(webRoot, { recursive: true, force: true }); });

  test('the dashboard carries a strict CSP, no framing, no referrer, nosniff', async () => {
    for (const path of ['/', '/settings', '/assets/app.js']) {
      const res = await server.api('GET', path);
      assert.equal(res.status, 200, path);
      const csp = res.headers.get('content-security-policy') ?? '';
      assert.match(csp, /default-src 'self'/, path);
      assert.match(csp, /script-src 'self'(;|$)/, `${path}: no inline scripts: ${csp}`);
      assert.match(csp, /style-src 'self'(;|$)/, `${path}: no inline styles: ${csp}`);
      assert.match(csp, /frame-ancestors 'none'/, path);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, path);
      assert.equal(res.headers.get('x-frame-options'), 'DENY', path);
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer', path);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
    }
  });

  test('API answers, errors and the server\'s own 413 are nosniff too', async () => {
    const answers = [
      await server.api('GET', '/healthz'),
      await server.api('GET', '/api/auth/me'),
      await server.api('POST', '/api/auth/login', { raw: 'x'.repeat(2 * 1024 * 1024) }),
    ];
    assert.deepEqual(answers.map((r) => r.status), [200, 401, 413]);
    for (const res of answers) assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  });
});

describe('logs: a logged value cannot forge a line', () => {
  test('%0a in a path stays inside its own access-log line', async () => {
    const server = await startServer({ env: { TENANTSYNC_LOG_LEVEL: 'info' } });
    try {
      const forged = 'ts=2099-01-01T00:00:00.000Z level=info event=request request_id=forged method=GET path=/ok status=200';
      const res = await server.api('GET', `/api/nothing%0a${encodeURIComponent(forged)}%0d%0aend`);
      assert.equal(res.status, 404);
      await new Promise((r) => setTimeout(r, 200));
      const lines = server.proc.output().split('\n').filter((l) => l.length > 0);
      for (const line of lines) {
        if (line.startsWith('tenantsync listening')) continue;
        assert.match(line, /^ts=\d{4}-\d\d-\d\dT/, `a line not made by the logger: ${line}`);
        assert.ok(!line.startsWith('ts=2099'), `a forged line: ${line}`);
      }
      const access = lines.find((l) => l.includes('event=request ') && l.includes('nothing'));
      assert.ok(access, 'the request is logged');
      assert.match(access, /path="\/api\/nothing\\nts=2099.*\\r\\nend"/);
    } finally {
      await server.stop();
    }
  });
});

describe('responses: database text stays in the log', () => {
  test('a PostgreSQL error answers 500 with the request id, and only the log has the SQL', async () => {
    const server = await startServer({ backend: 'postgres', env: { TENANTSYNC_LOG_LEVEL: 'info' } });
    try {
      const t = await signup(server, 'Db');
      // Break the leads table under the running server.
      // postgresql://postgres@/<db>?host=<socket folder>&port=<port> (tests/support/postgres.sh)
      const [, dbName, query] = /^postgresql:\/\/[^/]*\/([^?]+)\?(.*)$/.exec(server.databaseUrl);
      const params = new URLSearchParams(query);
      const bindir = readdirSync('/usr/lib/postgresql').sort().map((v) => `/usr/lib/postgresql/${v}/bin`).pop();
      execFileSync(`${bindir}/psql`, ['-h', params.get('host'), '-p', params.get('port'), '-U', 'postgres',
        '-d', dbName, '-c', 'ALTER TABLE leads RENAME TO leads_hidden_by_test'], { stdio: 'pipe' });
      const res = await server.api('GET', '/api/leads', { token: t.token });
      assert.equal(res.status, 500, res.text);
      const requestId = res.headers.get('x-request-id');
      assert.equal(res.json.error, 'db_error');
      assert.ok(res.json.message.includes(requestId), res.text);
      assert.doesNotMatch(res.text, /leads|relation|SELECT|PostgreSQL|tenant_id/i);
      await new Promise((r) => setTimeout(r, 200));
      const logged = server.proc.output().split('\n').find((l) => l.includes('event=internal_error') && l.includes(requestId));
      assert.ok(logged, `the error is logged with request id ${requestId}`);
      assert.match(logged, /relation .*leads.* does not exist/);
    } finally {
      await server.stop();
    }
  });
});

describe('secrets at rest', () => {
  test('a lost key file with stored secrets stops the start; rotate-key re-seals and the server reads them', async () => {
    const stack = await startStack({ keepDir: true, env: { TENANTSYNC_VOICE_SCHEDULE: 'off', TENANTSYNC_CRM_SCHEDULE: 'off' } });
    const { dir, databaseUrl } = stack;
    const keyFile = join(dir, 'secret.key');
    const env = { ...process.env, ...stack.env, TENANTSYNC_SECRET_KEY_FILE: keyFile };
    let t;
    try {
      t = await signup(stack, 'Keys');
      const put = await stack.api('PUT', '/api/tenant/settings', { token: t.token, body: { voice_api_key: 'bn-demo-key-1' } });
      assert.equal(put.status, 200, put.text);
    } finally {
      await stack.stop();
    }
    try {
      const before = execFileSync('cat', [keyFile]).toString();
      assert.match(before, /^1:[0-9a-f]{64}\n$/);
      // Without the key file, the server must not start with a new key.
      rmSync(keyFile);
      const run = spawnSync(serverBin, ['serve'], { env, encoding: 'utf8', timeout: 15_000 });
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stderr, /secret_key_missing/);
      assert.ok(!readdirSync(dir).includes('secret.key'), 'a new key file was made');
      writeFileSync(keyFile, before, { mode: 0o600 });

      const rotated = execFileSync(serverBin, ['admin', 'rotate-key'], { env }).toString();
      assert.match(rotated, /secret key version 2: re-sealed 1 secrets/);
      const after = execFileSync('cat', [keyFile]).toString();
      assert.match(after, /^2:[0-9a-f]{64}\n$/);

      // The restarted server decrypts the re-sealed key: a sync with it succeeds.
      const again = await startStack({ dir, databaseUrl, env: { TENANTSYNC_SECRET_KEY_FILE: keyFile,
        TENANTSYNC_VOICE_SCHEDULE: 'off', TENANTSYNC_CRM_SCHEDULE: 'off' } });
      try {
        // The simulator is new, but its demo accounts (and key bn-demo-key-1) are the same.
        const login = await again.api('POST', '/api/auth/login', { body: { email: t.email, password: t.password } });
        assert.equal(login.status, 200, login.text);
        const token = login.json.token;
        const runs = async () => (await again.api('GET', '/api/sync/runs', { token })).json.items;
        const earlier = new Set((await runs()).map((r) => r.id));
        const sync = await again.api('POST', '/api/tenant/sync', { token });
        assert.ok([200, 202].includes(sync.status), sync.text);
        assert.doesNotMatch(sync.text, /secret_unreadable/);
        // The new run ends succeeded: the re-sealed key was read and accepted by the upstream.
        let run;
        for (const deadline = Date.now() + 20_000; Date.now() < deadline;) {
          run = (await runs()).find((r) => !earlier.has(r.id));
          if (run && ['succeeded', 'failed', 'held', 'cancelled'].includes(run.state)) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        assert.equal(run?.state, 'succeeded', JSON.stringify(run));
      } finally {
        await again.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
