// A tenantsync server that the kill loops kill -9 and start again on the same database, plus the
// run-history reads every scenario needs (wait until no run is queued or running, run and wait).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, stopProcess, freshPostgresDatabase } from '../lib/harness.mjs';
import { queryRows } from './database.mjs';

export const TERMINAL = ['succeeded', 'failed', 'held', 'cancelled'];

/** Polls check() every `everyMs` until it returns a truthy value or `ms` pass; returns the last value. */
export async function waitFor(check, ms = 5000, everyMs = 50) {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value || Date.now() > until) return value;
    await sleep(everyMs);
  }
}

export class CrashServer {
  /**
   * backend: 'sqlite' or 'postgres'; sim: the simulator the upstream URLs point at; name: a short
   * name, also the server's stable instance id, so that each start ends the leases its killed
   * predecessor left (the engine does that at start) and the run is queued again at once.
   */
  constructor({ backend, sim, name, env = {} }) {
    this.backend = backend;
    this.name = name;
    this.dir = mkdtempSync(join(tmpdir(), `tenantsync-crash-${name}-`));
    this.databaseUrl = backend === 'postgres' ? freshPostgresDatabase() : `sqlite:${join(this.dir, 'db.sqlite')}`;
    this.env = {
      TENANTSYNC_BOLNA_URL: sim.url, TENANTSYNC_HUBSPOT_URL: sim.url,
      TENANTSYNC_SALESFORCE_LOGIN_URL: sim.url, TENANTSYNC_NANGO_URL: sim.url,
      TENANTSYNC_NANGO_SECRET_KEY: 'nango-sim-secret',
      TENANTSYNC_VOICE_SCHEDULE: 'off', TENANTSYNC_CRM_SCHEDULE: 'off',
      TENANTSYNC_UPSTREAM_TIMEOUT: '5s', TENANTSYNC_UPSTREAM_ATTEMPTS: '2',
      // Requests answer at once with the run id; the scenarios poll the run.
      TENANTSYNC_SYNC_WAIT: '0s',
      // A killed predecessor's leases are ended at start (same instance id); the short lease is the
      // fallback for anything else (a renewal that raced the kill).
      TENANTSYNC_JOB_LEASE: '3s',
      TENANTSYNC_INSTANCE_ID: `crash-${name}`,
      ...env,
    };
    this.server = null;
    this.starts = 0;
    this.kills = 0;
  }

  async start() {
    this.server = await startServer({ dir: this.dir, databaseUrl: this.databaseUrl, env: this.env });
    this.starts += 1;
    return this.server;
  }

  /** kill -9: no shutdown, no flush, whatever the server was doing. */
  async kill() {
    if (!this.server) return;
    await stopProcess(this.server.proc, 'SIGKILL');
    this.server = null;
    this.kills += 1;
  }

  /** A graceful stop (SIGTERM). */
  async stop() {
    if (!this.server) return;
    await this.server.stop();
    this.server = null;
  }

  async cleanup() {
    await this.kill().catch(() => {});
    rmSync(this.dir, { recursive: true, force: true });
  }

  api(method, path, options) {
    if (!this.server) throw new Error(`${this.name}: the server is not running`);
    return this.server.api(method, path, options);
  }

  rows(select) { return queryRows(this.databaseUrl, select); }

  /** Every run of the tenant, newest first (the API pages at 100). */
  async runs(t) {
    const all = [];
    let cursor = null;
    for (;;) {
      const res = await this.api('GET', `/api/sync/runs?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: t.token });
      if (res.status !== 200) throw new Error(`runs: ${res.status} ${res.text}`);
      all.push(...res.json.items);
      if (!res.json.next) return all;
      cursor = res.json.next;
    }
  }

  /** Waits until none of the tenant's runs is queued or running; returns the runs. */
  async waitIdle(t, ms = 60000) {
    let runs = [];
    const idle = await waitFor(async () => {
      runs = await this.runs(t);
      return runs.every((r) => TERMINAL.includes(r.state));
    }, ms, 100);
    if (!idle) {
      throw new Error(`${this.name}: runs still active after ${ms} ms: ` +
        JSON.stringify(runs.filter((r) => !TERMINAL.includes(r.state)).map((r) => [r.id, r.state, r.progress])));
    }
    return runs;
  }

  /** Waits until run `id` has ended; returns it. */
  async waitRun(t, id, ms = 60000) {
    let run;
    const done = await waitFor(async () => {
      run = (await this.api('GET', `/api/sync/runs/${id}`, { token: t.token })).json;
      return TERMINAL.includes(run?.state);
    }, ms, 50);
    if (!done) throw new Error(`${this.name}: run ${id} did not end within ${ms} ms: ${JSON.stringify(run)}`);
    return run;
  }
}

/**
 * The kill loop: `kills` times, start the server on the same database, start (or join) a run with
 * `trigger(i)`, wait until `armed(i, runId)` says the interesting part is going (optional), then
 * kill -9 after a random delay in [0, maxDelayMs] ms, and check `afterKill(i)` on the dead
 * server's database. `prepare(i)` runs while the server is down (upstream changes). Returns a log
 * line per kill.
 */
export async function killLoop(cs, { kills, random, maxDelayMs, prepare, trigger, armed, afterKill }) {
  const log = [];
  for (let i = 0; i < kills; i++) {
    if (prepare) await prepare(i);
    const startedAt = Date.now();
    await cs.start();
    const upAt = Date.now();
    const runId = await trigger(i);
    if (armed) await armed(i, runId);
    const delay = random.int(0, maxDelayMs);
    await sleep(delay);
    await cs.kill();
    const killedAt = Date.now();
    if (afterKill) await afterKill(i);
    log.push({ kill: i + 1, run: runId, delay_ms: delay, start_ms: upAt - startedAt, alive_ms: killedAt - startedAt,
      check_ms: Date.now() - killedAt });
  }
  return log;
}
