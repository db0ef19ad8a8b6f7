// The CRM kill loops: a first sync (a long listing that resumes from its saved cursor) and
// incremental syncs while contacts keep changing, each killed -9 at random moments, then checked.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { signup } from '../lib/harness.mjs';
import { CrashServer, killLoop } from './crash_server.mjs';
import { makePortal, contactsOf } from './upstream.mjs';
import { checkCrmLeads, checkRunsEnded } from './invariants.mjs';
import { KILLS } from './voice_scenarios.mjs';

/** Starts (or joins) the tenant's CRM sync; returns its run id. */
async function syncCrm(cs, t) {
  const res = await cs.api('POST', '/api/crm/sync', { token: t.token });
  assert.equal(res.status, 200, res.text);
  const runId = res.json.results?.[0]?.run_id;
  assert.ok(runId, res.text);
  return runId;
}

async function connect(cs, t, p) {
  const res = await cs.api('POST', '/api/crm/connect', { token: t.token, body: { provider: 'hubspot', access_token: p.token } });
  assert.equal(res.status, 202, res.text);
  return res.json.run_id;
}

async function finalCheck(cs, sim, p, t, label) {
  await cs.start();
  await cs.waitIdle(t);
  const run = await cs.waitRun(t, await syncCrm(cs, t));
  assert.equal(run.state, 'succeeded', `${label} final sync: ${JSON.stringify(run.error)}`);
  const leads = await checkCrmLeads(cs, sim, p, t, { final: true, label: `${label} final` });
  const lost = checkRunsEnded(await cs.runs(t), label);
  await cs.stop();
  return { ...leads, worker_lost: lost };
}

async function withServer(backend, sim, name, body) {
  const cs = new CrashServer({ backend, sim, name: `${name}-${backend}` });
  try {
    return await body(cs);
  } finally {
    await cs.cleanup();
  }
}

/**
 * Kills during a first sync of 4,000 contacts (slow pages: the simulator's latency on the contacts
 * listing and on search). Each restart resumes the listing from the saved cursor, never from the start.
 */
export async function crmFirstSync({ backend, sim, random, report }) {
  return withServer(backend, sim, 'crm-first', async (cs) => {
    const p = await makePortal(sim, { contacts: 4000, owners: 2, days: 30, seed: 5 });
    // Slow pages from both readers (the list, and search from the top), so that the listing lasts
    // longer than the longest wait before a kill (about 1.3 s against 1.2 s) and a kill lands
    // after a written batch (500 contacts, sync/crm_sync.hpp) more often than not.
    await sim.post('/_sim/faults', { method: 'GET', path_pattern: '/crm/v3/objects/contacts', latency_ms: 100 });
    await sim.post('/_sim/faults', { method: 'POST', path_pattern: '/crm/v3/objects/contacts/search', latency_ms: 100 });
    await cs.start();
    const t = await signup(cs, 'CrashCrm');
    await cs.kill();
    const label = `${backend} CRM first sync`;
    let resumed = 0;
    let savedAfter = null;
    let savedCursor = '';
    const cursorNow = () =>
      cs.rows(`SELECT cursor FROM crm_connections WHERE tenant_id = ${Number(t.tenant_id)}`)[0]?.cursor ?? '';
    const log = await killLoop(cs, {
      kills: KILLS, random, maxDelayMs: 1200,
      prepare: async () => {
        savedCursor = cursorNow();
        const cursor = savedCursor ? JSON.parse(savedCursor) : null;
        savedAfter = cursor?.phase === 'full' && cursor.after ? cursor.after : null;
        await sim.del('/_sim/requests');
      },
      trigger: (i) => (i === 0 ? connect(cs, t, p) : syncCrm(cs, t)),
      // Every other kill waits for this start's first written batch (the saved cursor moves) before
      // its random delay, so some kills land after a save and before the listing's end however
      // slow the machine is (the start, the owners and the first 500 contacts can outlast the
      // longest delay on a loaded one). The others stay anywhere from the start on.
      armed: async (i) => {
        if (i % 2 === 1) return;
        for (const until = Date.now() + 10_000; Date.now() < until && cursorNow() === savedCursor;) await sleep(50);
      },
      afterKill: async (i) => {
        if (savedAfter) {
          const lists = (await sim.get(`/_sim/requests?path_prefix=/crm/v3/objects/contacts`)).requests
            .filter((r) => r.method === 'GET' && r.query.archived !== 'true' && r.path === '/crm/v3/objects/contacts');
          if (lists.length > 0) {
            assert.equal(lists[0].query.after, savedAfter, `${label} kill ${i + 1}: the listing resumed from the saved cursor`);
            resumed += 1;
          }
        }
        await checkCrmLeads(cs, sim, p, t, { label: `${label} kill ${i + 1}` });
      },
    });
    await sim.del('/_sim/faults');
    const result = await finalCheck(cs, sim, p, t, label);
    assert.ok(result.worker_lost >= 1, `${label}: at least one kill cut a run short`);
    assert.ok(resumed >= 1, `${label}: at least one restart resumed a listing from its cursor (${resumed})`);
    report(label, log, { ...result, resumed_from_cursor: resumed });
  });
}

/** Kills during incremental syncs (search for changes) while contacts change, arrive and are archived. */
export async function crmIncremental({ backend, sim, random, report }) {
  return withServer(backend, sim, 'crm-incr', async (cs) => {
    const p = await makePortal(sim, { contacts: 400, owners: 2, days: 30, seed: 6 });
    await cs.start();
    const t = await signup(cs, 'CrashCrmIncr');
    assert.equal((await cs.waitRun(t, await connect(cs, t, p))).state, 'succeeded');
    await cs.kill();
    const label = `${backend} CRM incremental`;
    const log = await killLoop(cs, {
      kills: KILLS, random, maxDelayMs: 800,
      prepare: async (i) => {
        const live = [...(await contactsOf(sim, p)).values()].filter((c) => !c.archived);
        for (let k = 0; k < 15; k++) {
          const c = live[random.int(0, live.length - 1)];
          await sim.patch(`${p.path}/contacts/${c.id}`, { properties: { hs_lead_status: `ROUND_${i}_${k}` } });
        }
        await sim.post(`${p.path}/contacts`, Array.from({ length: 5 }, (_, k) => ({
          properties: { firstname: `New ${i}.${k}`, email: `new-${i}-${k}-${p.portal}@crash.example`, hs_lead_status: 'NEW' },
        })));
        await sim.del(`${p.path}/contacts/${live[random.int(0, live.length - 1)].id}`);
      },
      trigger: () => syncCrm(cs, t),
      afterKill: async (i) => { await checkCrmLeads(cs, sim, p, t, { label: `${label} kill ${i + 1}` }); },
    });
    report(label, log, await finalCheck(cs, sim, p, t, label));
  });
}
