// The voice kill loops: a first sync, incremental syncs, the apply transaction, and the confirm of a
// held plan, each killed -9 at random moments, then checked (crash-loop.test.mjs runs them).
import assert from 'node:assert/strict';
import { signup } from '../lib/harness.mjs';
import { CrashServer, killLoop, waitFor } from './crash_server.mjs';
import { makeAccount, agentsOf, numbersOf } from './upstream.mjs';
import { checkVoiceMirror, checkRunsEnded } from './invariants.mjs';

export const KILLS = Number(process.env.TENANTSYNC_CRASH_KILLS ?? 10);

/** Starts (or joins) the tenant's voice sync; returns its run id. */
async function syncVoice(cs, t) {
  const res = await cs.api('POST', '/api/tenant/sync', { token: t.token, body: {} });
  assert.ok([200, 202, 409].includes(res.status) || res.json?.run_id, `sync: ${res.status} ${res.text}`);
  return res.json.run_id;
}

/**
 * Saves the key, which starts the first sync, and returns that sync's run id as soon as it is
 * queued: the PUT itself waits up to 5 s for the run, longer than a kill may wait. A PUT cut off by
 * the kill is no failure; its run is what the loop is after.
 */
async function saveKey(cs, t, key) {
  const put = cs.api('PUT', '/api/tenant/settings', { token: t.token, body: { voice_api_key: key } }).catch(() => null);
  const runId = await waitFor(async () => {
    const summary = await cs.api('GET', '/api/tenant/summary', { token: t.token });
    return summary.json?.running_run_id ?? summary.json?.last_sync?.run_id ?? null;
  }, 15000, 10);
  if (!runId) {
    const res = await put;
    assert.fail(`saving the key started no sync: ${res?.status} ${res?.text}`);
  }
  return runId;
}

/** After the kills: a fresh start finishes what was cut short, the next sync succeeds, all equal. */
async function finalCheck(cs, sim, acct, t, label) {
  await cs.start();
  await cs.waitIdle(t);
  const run = await cs.waitRun(t, await syncVoice(cs, t));
  assert.equal(run.state, 'succeeded', `${label} final sync: ${JSON.stringify(run.error)}`);
  const mirror = await checkVoiceMirror(cs, sim, acct, t, { final: true, label: `${label} final` });
  const lost = checkRunsEnded(await cs.runs(t), label);
  await cs.stop();
  return { ...mirror, worker_lost: lost };
}

async function withServer(backend, sim, name, body) {
  const cs = new CrashServer({ backend, sim, name: `${name}-${backend}` });
  try {
    return await body(cs);
  } finally {
    await cs.cleanup();
  }
}

/** Kills during a first sync: slow execution pages, so the kills land while listing. */
export async function voiceFirstSync({ backend, sim, random, report }) {
  return withServer(backend, sim, 'voice-first', async (cs) => {
    // Slow execution pages: a first sync takes longer than the longest delay, so no kill comes after
    // it ended and every restart begins a first sync again (a voice run keeps nothing until it applies).
    const acct = await makeAccount(sim, 'first', { agents: 3, phone_numbers: 4, batches: 2, executions: 900, days: 20 });
    await sim.post('/_sim/faults', { path_pattern: '/v2/agent/*/executions', latency_ms: 80 });
    await cs.start();
    const t = await signup(cs, 'CrashFirst');
    await cs.kill();
    const label = `${backend} voice first sync`;
    const log = await killLoop(cs, {
      kills: KILLS, random, maxDelayMs: 1400,
      trigger: (i) => (i === 0 ? saveKey(cs, t, acct.key) : syncVoice(cs, t)),
      afterKill: async (i) => { await checkVoiceMirror(cs, sim, acct, t, { label: `${label} kill ${i + 1}` }); },
    });
    await sim.del('/_sim/faults');
    const result = await finalCheck(cs, sim, acct, t, label);
    assert.ok(result.worker_lost >= 1, `${label}: at least one kill cut a run short (${JSON.stringify(log)})`);
    report(label, log, result);
  });
}

/** Kills during incremental syncs while the upstream keeps changing (new executions, edits, removals). */
export async function voiceIncremental({ backend, sim, random, report }) {
  return withServer(backend, sim, 'voice-incr', async (cs) => {
    const acct = await makeAccount(sim, 'incr', { agents: 2, phone_numbers: 6, batches: 2, executions: 200, days: 10 });
    await cs.start();
    const t = await signup(cs, 'CrashIncr');
    assert.equal((await cs.waitRun(t, await saveKey(cs, t, acct.key))).state, 'succeeded');
    await cs.kill();
    const agents = await agentsOf(sim, acct);
    // Slow listings, so an incremental run (one short window per agent) is still going at most kill moments.
    await sim.post('/_sim/faults', [
      { path_pattern: '/v2/agent/*/executions', latency_ms: 150 },
      { path_pattern: '/phone-numbers/all', latency_ms: 150 },
    ]);
    const label = `${backend} voice incremental`;
    const log = await killLoop(cs, {
      kills: KILLS, random, maxDelayMs: 700,
      prepare: async (i) => {
        const agent = agents[i % agents.length];
        // New calls happen now, after every cursor a (dead) server has saved; a record dated
        // before a saved cursor would be a late arrival, which the cursor's overlap is for.
        const now = Date.now();
        await sim.post(`${acct.path}/agents/${agent.id}/executions`,
          Array.from({ length: 5 }, (_, k) => ({ status: 'completed', created_at: new Date(now + k).toISOString() })));
        await sim.patch(`${acct.path}/agents/${agent.id}`, { agent_name: `Renamed ${i}` });
        await sim.post(`${acct.path}/phone_numbers`, { phone_number: `+1415555${String(1000 + i).padStart(4, '0')}` });
        // Every third round a number really goes away upstream: the only archive allowed.
        if (i % 3 === 2) {
          const numbers = await numbersOf(sim, acct);
          await sim.del(`${acct.path}/phone_numbers/${numbers[0].id}`);
        }
      },
      trigger: () => syncVoice(cs, t),
      afterKill: async (i) => { await checkVoiceMirror(cs, sim, acct, t, { label: `${label} kill ${i + 1}` }); },
    });
    await sim.del('/_sim/faults');
    const result = await finalCheck(cs, sim, acct, t, label);
    assert.ok(result.worker_lost >= 1, `${label}: at least one kill cut a run short (${JSON.stringify(log)})`);
    report(label, log, result);
  });
}

/**
 * Kills inside the apply transaction: many phone numbers and campaigns (one listing call each, so
 * reading is quick and writing is long); the kill comes at a random moment after the run reports
 * "applying". A round whose apply committed gets more upstream records, so the next apply is long
 * again.
 */
export async function voiceApply({ backend, sim, random, report }) {
  return withServer(backend, sim, 'voice-apply', async (cs) => {
    const acct = await makeAccount(sim, 'apply', { agents: 6, phone_numbers: 1500, batches: 60, executions: 0 });
    await cs.start();
    const t = await signup(cs, 'CrashApply');
    await cs.kill();
    const label = `${backend} voice apply`;
    let applying = 0;
    let committed = 0;
    const mirroredNumbers = () =>
      cs.rows(`SELECT COUNT(*) AS n FROM phone_numbers WHERE tenant_id = ${Number(t.tenant_id)} AND archived_at IS NULL`)[0].n;
    const log = await killLoop(cs, {
      kills: KILLS, random, maxDelayMs: backend === 'postgres' ? 1200 : 500,
      prepare: async (i) => {
        if (i > 0 && Number(mirroredNumbers()) === (await numbersOf(sim, acct)).length) {
          committed += 1;
          await sim.post(`${acct.path}/generate`, { agents: 0, phone_numbers: 600, batches: 0, executions: 0, seed: 100 + i });
        }
      },
      trigger: (i) => (i === 0 ? saveKey(cs, t, acct.key) : syncVoice(cs, t)),
      armed: async (i, runId) => {
        const seen = await waitFor(async () => {
          const run = (await cs.api('GET', `/api/sync/runs/${runId}`, { token: t.token })).json;
          if (run?.progress?.phase === 'applying') return 'applying';
          if (['succeeded', 'failed', 'held', 'cancelled'].includes(run?.state)) return run.state;
          return null;
        }, 20000, 10);
        if (seen === 'applying') applying += 1;
      },
      afterKill: async (i) => { await checkVoiceMirror(cs, sim, acct, t, { label: `${label} kill ${i + 1}` }); },
    });
    const result = await finalCheck(cs, sim, acct, t, label);
    assert.ok(applying >= KILLS / 2, `${label}: ${applying} of ${KILLS} kills came after the apply began`);
    report(label, log, { ...result, kills_after_apply_began: applying, applies_committed_between_kills: committed });
  });
}

/**
 * Kills while a confirmed plan is applied: every agent deleted upstream trips the mass-removal
 * guard, the run is held, the plan confirmed, and the confirmed run killed. A round whose removal
 * was applied gets the agents back upstream first (restored from the archive by a sync).
 */
export async function heldPlanConfirm({ backend, sim, random, report }) {
  return withServer(backend, sim, 'held', async (cs) => {
    const acct = await makeAccount(sim, 'held', { agents: 8, phone_numbers: 100, batches: 0, executions: 0 });
    const original = await agentsOf(sim, acct);
    // A slow listing, so the confirmed run is still going at most kill moments.
    await sim.post('/_sim/faults', { path_pattern: '/phone-numbers/all', latency_ms: 200 });
    await cs.start();
    const t = await signup(cs, 'CrashHeld');
    assert.equal((await cs.waitRun(t, await saveKey(cs, t, acct.key))).state, 'succeeded');
    await cs.kill();
    const label = `${backend} held-plan confirm`;
    let confirmed = 0;
    const log = await killLoop(cs, {
      kills: KILLS, random, maxDelayMs: 500,
      trigger: async (i) => {
        // What the last kill left is finished first (a requeued confirm may apply its plan now).
        await cs.waitIdle(t);
        if ((await agentsOf(sim, acct)).length === 0) {
          await sim.post(`${acct.path}/agents`, original.map(({ id, agent_name }) => ({ id, agent_name })));
          const restore = await cs.waitRun(t, await syncVoice(cs, t));
          assert.equal(restore.state, 'succeeded', `${label} round ${i + 1} restore: ${JSON.stringify(restore.error)}`);
        }
        await sim.del(`${acct.path}/agents`);
        const held = await cs.waitRun(t, await syncVoice(cs, t));
        assert.equal(held.state, 'held', `${label} round ${i + 1}: ${JSON.stringify(held.error)}`);
        const res = await cs.api('POST', `/api/sync/runs/${held.id}/confirm`, { token: t.token, body: { plan_id: held.plan_id } });
        assert.ok(res.status === 200 || res.status === 202, `${label} confirm: ${res.status} ${res.text}`);
        confirmed += 1;
        return held.id;
      },
      afterKill: async (i) => { await checkVoiceMirror(cs, sim, acct, t, { label: `${label} kill ${i + 1}` }); },
    });
    await sim.del('/_sim/faults');
    const result = await finalCheck(cs, sim, acct, t, label);
    assert.ok(result.worker_lost >= 1, `${label}: at least one kill cut a confirmed run short (${JSON.stringify(log)})`);
    assert.equal(result.live.agents, 0, `${label}: the confirmed removal is applied in the end`);
    report(label, log, { ...result, confirmed });
  });
}
