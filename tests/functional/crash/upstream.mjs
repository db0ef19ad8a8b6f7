// What the simulator holds, read through its control API: the truth the kill loops compare the
// mirror and the leads with.

const listOf = (answer, ...keys) => {
  if (Array.isArray(answer)) return answer;
  for (const k of keys) if (Array.isArray(answer?.[k])) return answer[k];
  throw new Error(`not a list: ${JSON.stringify(answer).slice(0, 200)}`);
};

let accountCounter = 0;
/** A new Bolna account with generated records; returns {id, key, path}. */
export async function makeAccount(sim, name, generate) {
  const id = `acct-crash-${name}-${process.pid}-${accountCounter++}`;
  const key = `bn-${id}`;
  await sim.post('/_sim/bolna/accounts', { id, key });
  const path = `/_sim/bolna/accounts/${id}`;
  if (generate) await sim.post(`${path}/generate`, { seed: accountCounter, ...generate });
  return { id, key, path };
}

export const agentsOf = async (sim, acct) => listOf(await sim.get(`${acct.path}/agents`), 'items', 'agents');
export const numbersOf = async (sim, acct) =>
  listOf(await sim.get(`${acct.path}/phone_numbers`), 'items', 'phone_numbers');

/** Every voice record upstream, by mirror resource: Map(upstream_id → record). */
export async function voiceUpstream(sim, acct) {
  const agents = await agentsOf(sim, acct);
  const out = {
    agents: new Map(agents.map((a) => [a.id, a])),
    phone_numbers: new Map((await numbersOf(sim, acct)).map((n) => [n.id, n])),
    campaigns: new Map(),
    executions: new Map(),
  };
  for (const a of agents) {
    for (const b of listOf(await sim.get(`${acct.path}/agents/${a.id}/batches`), 'items', 'batches')) {
      out.campaigns.set(b.batch_id ?? b.id, b);
    }
    for (const e of listOf(await sim.get(`${acct.path}/agents/${a.id}/executions`), 'items', 'executions', 'data')) {
      out.executions.set(e.id, { ...e, agent_id: e.agent_id ?? a.id });
    }
  }
  return out;
}

let portalCounter = 0;
/** A new HubSpot portal with a private-app token and an owner; returns {portal, token, path}. */
export async function makePortal(sim, generate) {
  const portal = 7_000_000 + (process.pid % 1000) * 100 + portalCounter++;
  const token = `pat-crash-${portal}`;
  // No search rate limit: the incremental kill loop searches on every run.
  await sim.post('/_sim/hubspot/portals', { portal_id: portal, tokens: [token], search_per_second: 0, burst_max: 100000 });
  const path = `/_sim/hubspot/portals/${portal}`;
  await sim.post(`${path}/owners`, { id: '11', email: 'rep@sales.example', firstName: 'Rita', lastName: 'Rep' });
  if (generate) await sim.post(`${path}/contacts/generate`, generate);
  return { portal, token, path };
}

/** Every contact of the portal, archived ones included: Map(id → contact). */
export async function contactsOf(sim, p) {
  const list = listOf(await sim.get(`${p.path}/contacts`), 'results', 'contacts', 'items');
  return new Map(list.map((c) => [String(c.id), c]));
}
