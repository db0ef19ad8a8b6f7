// Starts the real binaries for black-box tests: tenantsync (on SQLite or on a fresh
// PostgreSQL database) and the upstream simulator, each on a free port, in a temporary folder.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkAnswer } from './contract.mjs';

export const serverBin = process.env.TENANTSYNC_BIN ?? 'build/test/tenantsync';
export const simBin = process.env.TENANTSYNC_SIM_BIN ?? 'build/test/tenantsync-sim';

async function waitForFile(path, proc, what, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(path)) {
      const text = readFileSync(path, 'utf8').trim();
      if (text) return text;
    }
    if (proc.exitCode !== null) throw new Error(`${what} exited with ${proc.exitCode}:\n${proc.output()}`);
    await sleep(25);
  }
  throw new Error(`${what} did not start within ${timeoutMs} ms:\n${proc.output()}`);
}

function launch(bin, args, env) {
  const proc = spawn(bin, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout.on('data', (d) => { output += d; });
  proc.stderr.on('data', (d) => { output += d; });
  proc.output = () => output;
  // A process that dies on its own (a crash, a sanitizer report) shows why in the test output.
  proc.on('exit', (code, signal) => {
    if (!proc.stopping && (code !== 0 || signal)) {
      process.stderr.write(`\n${bin} exited unexpectedly (code ${code}, signal ${signal}); its output:\n${output.slice(-20000)}\n`);
    }
  });
  return proc;
}

async function stopProcess(proc, signal = 'SIGTERM', timeoutMs = 15000) {
  if (proc.exitCode !== null || proc.signalCode !== null) return { code: proc.exitCode, signal: proc.signalCode };
  const exited = new Promise((resolve) => proc.once('exit', (code, sig) => resolve({ code, signal: sig })));
  proc.stopping = true;
  proc.kill(signal);
  const timer = sleep(timeoutMs).then(() => { proc.kill('SIGKILL'); return { code: null, signal: 'SIGKILL' }; });
  return Promise.race([exited, timer]);
}

/** The PostgreSQL server the CTest fixture started (tests/support/postgres.sh). */
export function postgresUrl() {
  const file = process.env.TENANTSYNC_TEST_PG_URL_FILE;
  if (!file || !existsSync(file)) {
    throw new Error('No test PostgreSQL: TENANTSYNC_TEST_PG_URL_FILE is unset or missing (run through ctest)');
  }
  return readFileSync(file, 'utf8').trim();
}

let dbCounter = 0;
/** A new, empty PostgreSQL database on the fixture's server; returns its URL. */
export function freshPostgresDatabase() {
  const base = postgresUrl();
  const params = new URLSearchParams(base.slice(base.indexOf('?') + 1));
  const host = params.get('host');
  const port = params.get('port');
  const name = `ts_func_${process.pid}_${Date.now()}_${dbCounter++}`;
  const bindir = readdirSync('/usr/lib/postgresql').sort().map((v) => `/usr/lib/postgresql/${v}/bin`).pop();
  execFileSync(`${bindir}/createdb`, ['-h', host, '-p', port, '-U', 'postgres', name]);
  return base.replace('/postgres?', `/${name}?`);
}

/**
 * Starts tenantsync. options.backend: 'sqlite' (default) or 'postgres'; options.env: extra variables;
 * options.allowPrivateUpstreams: false starts it as production does, calling public https hosts
 * only (by default the tests' upstreams are on loopback, so it is allowed).
 * Returns {baseUrl, dir, proc, api(), stop()}.
 */
export async function startServer(options = {}) {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'tenantsync-func-'));
  const databaseUrl = options.databaseUrl ??
    (options.backend === 'postgres' ? freshPostgresDatabase() : `sqlite:${join(dir, 'tenantsync.db')}`);
  const portFile = join(dir, `port-${Date.now()}`);
  const env = {
    TENANTSYNC_LISTEN: '127.0.0.1:0',
    TENANTSYNC_DATABASE_URL: databaseUrl,
    TENANTSYNC_SECRET_KEY_FILE: join(dir, 'secret.key'),
    // The cheap hash is allowed only in a test environment; suites sign up many tenants from
    // 127.0.0.1, so the per-address sign-up throttle is out of their way (hostile/auth.mjs tests it).
    TENANTSYNC_PASSWORD_HASH: 'minimal',
    TENANTSYNC_ENV: 'test',
    TENANTSYNC_SIGNUP_BURST: '1000000',
    TENANTSYNC_WEB_ROOT: options.webRoot ?? join(dir, 'no-web'),
    TENANTSYNC_LOG_LEVEL: 'warn',
    TENANTSYNC_ALLOW_PRIVATE_UPSTREAMS: options.allowPrivateUpstreams === false ? '0' : '1',
    ...options.env,
  };
  const proc = launch(serverBin, ['serve', '--port-file', portFile], env);
  const port = await waitForFile(portFile, proc, 'tenantsync');
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl, dir, proc, databaseUrl, env,
    api: (method, path, opts = {}) => request(baseUrl, method, path, opts),
    stop: async () => {
      const result = await stopProcess(proc);
      if (!options.keepDir && !options.dir) rmSync(dir, { recursive: true, force: true });
      return result;
    },
  };
}

/** Starts the upstream simulator. Returns {url, proc, post(), get(), del(), stop()}. */
export async function startSim(options = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'tenantsync-sim-'));
  const portFile = join(dir, 'port');
  const args = ['--listen', '127.0.0.1:0', '--port-file', portFile, ...(options.seedDemo ? ['--seed-demo'] : []),
    ...(options.threads ? ['--threads', String(options.threads)] : [])];
  const proc = launch(simBin, args, {});
  const port = await waitForFile(portFile, proc, 'tenantsync-sim');
  const url = `http://127.0.0.1:${port}`;
  simUrls.add(url);
  const control = (method) => async (path, body) => {
    const res = await request(url, method, path, { body });
    if (res.status >= 400) throw new Error(`sim ${method} ${path}: ${res.status} ${res.text}`);
    return res.json;
  };
  return {
    url, proc,
    get: control('GET'), post: control('POST'), patch: control('PATCH'), del: control('DELETE'),
    stop: async () => { await stopProcess(proc); rmSync(dir, { recursive: true, force: true }); },
  };
}

/** Starts the simulator with its demo accounts and a server pointed at it. */
export async function startStack(options = {}) {
  const sim = await startSim({ seedDemo: true });
  const server = await startServer({
    ...options,
    env: {
      TENANTSYNC_BOLNA_URL: sim.url, TENANTSYNC_HUBSPOT_URL: sim.url,
      TENANTSYNC_SALESFORCE_LOGIN_URL: sim.url, TENANTSYNC_NANGO_URL: sim.url,
      TENANTSYNC_NANGO_SECRET_KEY: 'nango-sim-secret', ...options.env,
    },
  });
  return {
    ...server, sim, simUrl: sim.url,
    stop: async () => { await server.stop(); await sim.stop(); },
  };
}

// The simulators' addresses: their answers are the upstreams', not tenantsync's, so the contract
// check below leaves them alone.
const simUrls = new Set();

/**
 * One HTTP request; returns {status, headers, text, json}. A JSON answer of tenantsync (every
 * answer of the server carries X-Request-Id; the simulators' are skipped) must fit the API's
 * contract, src/api/openapi.json (lib/contract.mjs): a mismatch throws, failing the test.
 */
export async function request(baseUrl, method, path, { token, body, headers = {}, raw } = {}) {
  const h = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  let payload;
  if (raw !== undefined) payload = raw;
  else if (body !== undefined) { payload = JSON.stringify(body); h['content-type'] = 'application/json'; }
  const res = await fetch(baseUrl + path, { method, headers: h, body: payload });
  const text = await res.text();
  let json;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
  if (json !== undefined && !simUrls.has(baseUrl) && res.headers.has('x-request-id')) {
    checkAnswer(method, path, res.status, res.headers.get('content-type'), json);
  }
  return { status: res.status, headers: res.headers, text, json };
}

let userCounter = 0;
/** Signs up a new tenant; returns {token, tenant_id, user, email, password}. */
export async function signup(server, name = 'Acme') {
  const email = `user${process.pid}-${Date.now()}-${userCounter++}@example.com`;
  const password = 'correct horse battery';
  const res = await server.api('POST', '/api/auth/signup', { body: { tenant_name: name, email, password } });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${res.text}`);
  return { ...res.json, email, password };
}

export { stopProcess, launch };
