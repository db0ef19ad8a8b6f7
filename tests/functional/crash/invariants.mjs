// The invariants a kill must never break, checked on the database (the server may be dead) against
// the simulator: nothing duplicated, nothing archived that is still upstream, no cursor past what
// was committed; after a final successful run, the mirror and the leads equal the upstream.
import assert from 'node:assert/strict';
import { voiceUpstream, contactsOf } from './upstream.mjs';

const RESOURCES = ['agents', 'phone_numbers', 'campaigns', 'executions'];

function assertNoDuplicates(ids, what) {
  const seen = new Set();
  const twice = ids.filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
  assert.deepEqual(twice, [], `${what}: duplicated`);
}

/**
 * The voice mirror of tenant t after a kill (or at the end, with final: true: equal to the upstream).
 * - no upstream id twice; every archived row is gone upstream (archives only for records really gone);
 * - every saved executions cursor T of an agent: the agent is mirrored and every upstream execution of
 *   it created at or before T is mirrored and live (the cursor never passes committed data).
 */
export async function checkVoiceMirror(cs, sim, acct, t, { final = false, label = '' } = {}) {
  const up = await voiceUpstream(sim, acct);
  // One statement, so one snapshot of every table (and one sqlite3 or psql process per check).
  const tenant = Number(t.tenant_id);
  const all = cs.rows([
    ...RESOURCES.map((r) => `SELECT '${r}' AS kind, upstream_id AS a, CAST(archived_at AS TEXT) AS b FROM ${r} WHERE tenant_id = ${tenant}`),
    `SELECT 'cursor' AS kind, key AS a, value AS b FROM sync_cursors WHERE tenant_id = ${tenant} AND target = 'voice'`,
  ].join(' UNION ALL '));
  const live = {};
  for (const r of RESOURCES) {
    const rows = all.filter((x) => x.kind === r).map((x) => ({ upstream_id: x.a, archived_at: x.b }));
    assertNoDuplicates(rows.map((x) => x.upstream_id), `${label} ${r}`);
    const archivedButUpstream = rows.filter((x) => x.archived_at !== null && up[r].has(x.upstream_id));
    assert.deepEqual(archivedButUpstream.map((x) => x.upstream_id), [], `${label} ${r} archived while still upstream`);
    live[r] = new Set(rows.filter((x) => x.archived_at === null).map((x) => x.upstream_id));
    const unknown = [...live[r]].filter((id) => !up[r].has(id));
    if (final) {
      assert.deepEqual(unknown, [], `${label} ${r}: live rows that are gone upstream`);
      const missing = [...up[r].keys()].filter((id) => !live[r].has(id));
      assert.deepEqual(missing.slice(0, 10), [], `${label} ${r}: ${missing.length} upstream records missing`);
      assert.equal(live[r].size, up[r].size, `${label} ${r}: count equals the upstream's`);
    }
  }
  const cursors = all.filter((x) => x.kind === 'cursor').map((x) => ({ key: x.a, value: x.b }));
  for (const c of cursors) {
    const [, account, agent] = c.key.split(':');
    if (account !== acct.id) continue;
    const at = Date.parse(c.value);
    assert.ok(Number.isFinite(at), `${label} cursor ${c.key} = ${c.value}`);
    if (!up.agents.has(agent)) continue;  // deleted upstream since: its executions went with it
    assert.ok(live.agents.has(agent), `${label} cursor ${c.key} for an agent that is not mirrored`);
    const behind = [...up.executions.values()]
      .filter((e) => e.agent_id === agent && Date.parse(e.created_at) <= at && !live.executions.has(e.id));
    assert.deepEqual(behind.map((e) => [e.id, e.created_at]).slice(0, 5), [],
      `${label} cursor ${c.key} = ${c.value} is past ${behind.length} executions that were never committed`);
  }
  return { live: Object.fromEntries(RESOURCES.map((r) => [r, live[r].size])), cursors: cursors.length };
}

/**
 * The leads of tenant t's HubSpot connection after a kill (or at the end, with final: true: one lead
 * per contact, with its status and archived mark).
 * - no contact twice, no lead for a contact the portal never had, archived marks only for contacts
 *   archived upstream;
 * - the saved cursor: in the full listing, every live contact before `after` has its lead; in the
 *   incremental phase, every contact modified before `modified_after_ms` has its lead with its status.
 */
export async function checkCrmLeads(cs, sim, portal, t, { final = false, label = '' } = {}) {
  const contacts = await contactsOf(sim, portal);
  const tenant = Number(t.tenant_id);
  const all = cs.rows(
    `SELECT 'lead' AS kind, crm_id AS a, crm_status AS b, CAST(crm_archived_at AS TEXT) AS c FROM leads WHERE tenant_id = ${tenant} AND crm_id IS NOT NULL ` +
    `UNION ALL SELECT 'cursor' AS kind, cursor AS a, NULL AS b, NULL AS c FROM crm_connections WHERE tenant_id = ${tenant}`);
  const rows = all.filter((x) => x.kind === 'lead').map((x) => ({ crm_id: x.a, crm_status: x.b, crm_archived_at: x.c }));
  assertNoDuplicates(rows.map((x) => x.crm_id), `${label} leads`);
  const leads = new Map(rows.map((x) => [x.crm_id, x]));
  const phantom = rows.filter((x) => !contacts.has(x.crm_id)).map((x) => x.crm_id);
  assert.deepEqual(phantom, [], `${label} leads of contacts the portal never had`);
  const wronglyArchived = rows.filter((x) => x.crm_archived_at !== null && !contacts.get(x.crm_id).archived);
  assert.deepEqual(wronglyArchived.map((x) => x.crm_id), [], `${label} leads marked archived while live upstream`);

  const status = (c) => c.properties?.hs_lead_status ?? null;
  const stale = (c) => {
    const lead = leads.get(c.id);
    return !lead || (lead.crm_status || null) !== (status(c) || null);
  };
  const connection = all.find((x) => x.kind === 'cursor');
  let cursor = null;
  if (connection?.a) {
    cursor = JSON.parse(connection.a);
    if (cursor.phase === 'full' && cursor.after) {
      const after = Number(cursor.after);
      const behind = [...contacts.values()].filter((c) => !c.archived && Number(c.id) < after && !leads.has(c.id));
      assert.deepEqual(behind.map((c) => c.id).slice(0, 10), [],
        `${label} cursor after=${cursor.after} is past ${behind.length} contacts without a lead`);
    } else if (cursor.phase === 'incremental') {
      const behind = [...contacts.values()]
        .filter((c) => !c.archived && Date.parse(c.updatedAt) < cursor.modified_after_ms && stale(c));
      assert.deepEqual(behind.map((c) => [c.id, c.updatedAt, status(c), leads.get(c.id)?.crm_status]).slice(0, 5), [],
        `${label} cursor modified_after=${new Date(cursor.modified_after_ms).toISOString()} is past ${behind.length} changes not committed`);
    }
  }
  if (final) {
    const missing = [...contacts.keys()].filter((id) => !leads.has(id));
    assert.deepEqual(missing.slice(0, 10), [], `${label} ${missing.length} contacts without a lead`);
    assert.equal(leads.size, contacts.size, `${label} one lead per contact`);
    const notArchived = [...contacts.values()].filter((c) => c.archived && leads.get(c.id).crm_archived_at === null);
    assert.deepEqual(notArchived.map((c) => c.id), [], `${label} archived contacts whose leads are not marked`);
    const outdated = [...contacts.values()].filter((c) => !c.archived && stale(c));
    assert.deepEqual(outdated.map((c) => c.id).slice(0, 10), [], `${label} leads whose status is not the contact's`);
  }
  return { leads: leads.size, contacts: contacts.size, phase: cursor?.phase ?? null };
}

/** Every run ended (none left queued or running); returns how many the kills cut short. */
export function checkRunsEnded(runs, label = '') {
  const active = runs.filter((r) => ['queued', 'running'].includes(r.state));
  assert.deepEqual(active.map((r) => [r.id, r.state]), [], `${label} runs left active`);
  return runs.filter((r) => r.error?.code === 'worker_lost').length;
}
