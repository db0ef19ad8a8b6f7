// Database faults against the real binaries: PostgreSQL sessions terminated (pg_terminate_backend)
// while a run writes. The run fails cleanly with a clear message (never a crash, never "running"
// forever), the store stays consistent, the service keeps serving, and the next run succeeds on a
// fresh connection. (SQLite's SQLITE_BUSY and SQLITE_FULL are made in-process, in
// src/store/sqlite/sqlite_faults_test.cpp.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSim, signup } from './lib/harness.mjs';
import { CrashServer, waitFor, TERMINAL } from './crash/crash_server.mjs';
import { postgresExec } from './crash/database.mjs';
import { makeAccount } from './crash/upstream.mjs';
import { checkVoiceMirror, checkRunsEnded } from './crash/invariants.mjs';

let sim;
before(async () => { sim = await startSim(); });
after(async () => { await sim?.stop(); });

// Every session of the server's database but psql's own.
const terminateAll = (cs) => postgresExec(cs.databaseUrl,
  'SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');

test('PostgreSQL sessions terminated during the apply: the run fails cleanly, the service goes on, the next run succeeds', async () => {
  // The default lease (30 s): the run must end by itself, not by the sweep.
  const cs = new CrashServer({ backend: 'postgres', sim, name: 'pg-terminate', env: { TENANTSYNC_JOB_LEASE: '30s' } });
  try {
    const acct = await makeAccount(sim, 'pgterm', { agents: 6, phone_numbers: 1500, batches: 100, executions: 0 });
    await cs.start();
    const t = await signup(cs, 'PgTerminate');
    const put = await cs.api('PUT', '/api/tenant/settings', { token: t.token, body: { voice_api_key: acct.key } });
    assert.equal(put.status, 200, put.text);
    let runId = put.json.sync.run_id;
    let failed = null;
    for (let round = 0; round < 4 && !failed; round++) {
      const phase = await waitFor(async () => {
        const run = (await cs.api('GET', `/api/sync/runs/${runId}`, { token: t.token })).json;
        if (TERMINAL.includes(run.state)) return run.state;
        return run.progress?.phase === 'applying' ? 'applying' : null;
      }, 30000, 5);
      assert.ok(phase, 'the run reached its apply');
      const terminated = Number(terminateAll(cs));
      assert.ok(terminated >= 1, `${terminated} sessions terminated`);
      const run = await cs.waitRun(t, runId, 20000);
      if (run.state === 'failed') {
        failed = run;
      } else {
        // The apply committed before the sessions went: more rows, and again.
        assert.equal(run.state, 'succeeded', JSON.stringify(run.error));
        await sim.post(`${acct.path}/generate`, { agents: 0, phone_numbers: 1500, batches: 0, executions: 0, seed: 50 + round });
        runId = (await cs.api('POST', '/api/tenant/sync', { token: t.token, body: {} })).json.run_id;
      }
    }
    assert.ok(failed, 'a run was cut by the terminated sessions');
    assert.equal(failed.error.code, 'store_unavailable', JSON.stringify(failed.error));
    assert.match(failed.error.message, /^Sync failed: the changes could not be saved \(the connection to PostgreSQL was lost/);
    assert.match(failed.error.message, /Nothing was changed\.$/);
    // Consistent: nothing half-written, nothing archived, no cursor past the data.
    await checkVoiceMirror(cs, sim, acct, t, { label: 'after the terminated apply' });

    // The service goes on: health, login, reads; the sessions it lost are replaced.
    assert.equal((await cs.api('GET', '/healthz')).status, 200);
    const login = await cs.api('POST', '/api/auth/login', { body: { email: t.email, password: t.password } });
    assert.equal(login.status, 200, login.text);
    assert.equal((await cs.api('GET', '/api/tenant/summary', { token: t.token })).status, 200);

    // Terminated again while idle: the pool notices before handing a connection out.
    terminateAll(cs);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal((await cs.api('GET', '/api/tenant/summary', { token: t.token })).status, 200);

    const next = await cs.waitRun(t, (await cs.api('POST', '/api/tenant/sync', { token: t.token, body: {} })).json.run_id);
    assert.equal(next.state, 'succeeded', JSON.stringify(next.error));
    await checkVoiceMirror(cs, sim, acct, t, { final: true, label: 'after the next run' });
    checkRunsEnded(await cs.runs(t), 'pg terminate');
    await cs.stop();
  } finally {
    await cs.cleanup();
  }
});
