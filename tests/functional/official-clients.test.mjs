// The providers' own Node clients against tenantsync-sim: if @hubspot/api-client pages through
// every contact, jsforce follows every nextRecordsUrl (and refreshes an expired session) and
// @nangohq/node creates a connect session and reads the connection it made, the simulator speaks
// their dialect. The clients live in tests/official_clients (npm ci there first).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { startSim } from './lib/harness.mjs';

const clientsDir = fileURLToPath(new URL('../official_clients/', import.meta.url));
const requireClient = createRequire(clientsDir + 'package.json');
function load(name) {
  try {
    return requireClient(name);
  } catch (error) {
    throw new Error(`${name} is not installed: run \`npm ci\` in ${clientsDir} (${error.message})`);
  }
}
const hubspot = load('@hubspot/api-client');
const jsforce = load('jsforce');
const { Nango } = load('@nangohq/node');

const kContacts = 1234;
const kLeads = 3456;
const kVersion = '67.0';

describe('official clients against the simulator', () => {
  let sim;
  let orgId;
  before(async () => {
    sim = await startSim();
    await sim.post('/_sim/hubspot/portals', { portal_id: 777, tokens: ['pat-official-1'], burst_max: 1000 });
    const generated = await sim.post('/_sim/hubspot/portals/777/contacts/generate', { contacts: kContacts, owners: 4, seed: 3 });
    assert.equal(generated.contacts, kContacts);
    const org = await sim.post('/_sim/salesforce/orgs', {
      refresh_tokens: [{ refresh_token: 'sf-official-refresh', client_id: 'official-client', client_secret: 'official-secret' }],
    });
    orgId = org.org_id;
    const leads = await sim.post(`/_sim/salesforce/orgs/${orgId}/generate`, { leads: kLeads, owners: 5, seed: 9 });
    assert.equal(leads.leads, kLeads);
  });
  after(async () => { await sim?.stop(); });

  test('@nangohq/node creates a connect session and reads the tags of the connection it made', async () => {
    const nango = new Nango({ secretKey: 'nango-sim-secret', host: sim.url });
    const { data } = await nango.createConnectSession({
      end_user: { id: '42' }, organization: { id: '42' },
      tags: { end_user_id: '42', organization_id: '42' }, allowed_integrations: ['hubspot'],
    });
    assert.match(data.token, /^nango_connect_session_[0-9a-f]{64}$/);
    assert.ok(Date.parse(data.expires_at) > Date.now());
    assert.equal(new URL(data.connect_link).searchParams.get('session_token'), data.token);
    // The person finishes Connect UI (the control API plays the browser).
    const made = await sim.post(`/_sim/nango/connect_sessions/${data.token}/connections`, { portal_id: 777 });
    const connection = await nango.getConnection('hubspot', made.connection_id);
    assert.equal(connection.connection_id, made.connection_id);
    assert.deepEqual(connection.tags, { end_user_id: '42', organization_id: '42' });
    assert.equal(connection.end_user.id, '42');
    assert.equal(connection.connection_config.portalId, 777);
    const client = new hubspot.Client({ accessToken: connection.credentials.access_token, basePath: sim.url });
    const page = await client.crm.contacts.basicApi.getPage(1);
    assert.equal(page.results.length, 1, 'the token Nango hands out opens the portal');
    await assert.rejects(nango.createConnectSession({ tags: { end_user_id: '42' }, allowed_integrations: ['pipedrive'] }),
      (error) => error.response?.status === 400 && error.response.data.error.code === 'invalid_body');
  });

  test('@hubspot/api-client pages every contact exactly once with after', async () => {
    const client = new hubspot.Client({ accessToken: 'pat-official-1', basePath: sim.url });
    const seen = new Map();
    let after;
    let pages = 0;
    do {
      const page = await client.crm.contacts.basicApi.getPage(100, after, ['email', 'phone', 'hubspot_owner_id']);
      pages += 1;
      for (const contact of page.results) seen.set(contact.id, (seen.get(contact.id) ?? 0) + 1);
      after = page.paging?.next?.after;
    } while (after);
    assert.equal(pages, Math.ceil(kContacts / 100));
    assert.equal(seen.size, kContacts);
    assert.ok([...seen.values()].every((n) => n === 1), 'no contact read twice');

    // getAll walks the same cursors inside the client; its typed models parse the sim's dates.
    const all = await client.crm.contacts.getAll(100, undefined, ['email']);
    assert.equal(all.length, kContacts);
    assert.equal(new Set(all.map((c) => c.id)).size, kContacts);
    assert.ok(all[0].updatedAt instanceof Date && !Number.isNaN(all[0].updatedAt.getTime()));
    assert.ok('email' in all[0].properties);
  });

  test('@hubspot/api-client surfaces the sim\'s HubSpot errors', async () => {
    const client = new hubspot.Client({ accessToken: 'not-a-token', basePath: sim.url });
    await assert.rejects(client.crm.contacts.basicApi.getPage(10), (error) => {
      assert.equal(error.code, 401);
      assert.equal(error.body.category, 'INVALID_AUTHENTICATION');
      return true;
    });
  });

  test('jsforce autoFetch follows nextRecordsUrl and reads every Lead once', async () => {
    const minted = await sim.post(`/_sim/salesforce/orgs/${orgId}/access_tokens`, {});
    const conn = new jsforce.Connection({ instanceUrl: sim.url, accessToken: minted.access_token, version: kVersion });
    const soql = 'SELECT Id, FirstName, LastName, Email, Phone, MobilePhone, Owner.Name, Owner.Email, Status, '
      + 'Description, LastActivityDate, SystemModstamp FROM Lead '
      + 'WHERE SystemModstamp > 2000-01-01T00:00:00Z ORDER BY SystemModstamp, Id';
    const result = await conn.query(soql, { autoFetch: true, maxFetch: 100000 });
    assert.equal(result.totalSize, kLeads);
    assert.equal(result.done, true);
    assert.equal(result.records.length, kLeads);
    const ids = new Set(result.records.map((r) => r.Id));
    assert.equal(ids.size, kLeads, 'every Lead exactly once');
    const first = result.records[0];
    assert.equal(first.attributes.type, 'Lead');
    assert.equal(typeof first.Owner.Name, 'string');
    const stamps = result.records.map((r) => Date.parse(r.SystemModstamp.replace('+0000', 'Z')));
    assert.ok(stamps.every((t, i) => i === 0 || stamps[i - 1] <= t), 'ordered by SystemModstamp');
    assert.ok(conn.limitInfo.apiUsage.used >= 2, 'Sforce-Limit-Info read by jsforce');
    assert.equal(conn.limitInfo.apiUsage.limit, 100000);

    // maxFetch stops early, and a smaller batch size gives more pages for the same records.
    const capped = await conn.query('SELECT Id FROM Lead', { autoFetch: true, maxFetch: 2500 });
    assert.equal(capped.records.length, 2500);
    const log0 = (await sim.get('/_sim/requests?path_prefix=/services/data')).requests.length;
    const small = await conn.query('SELECT Id FROM Lead', {
      autoFetch: true, maxFetch: 100000, headers: { 'Sforce-Query-Options': 'batchSize=500' },
    });
    assert.equal(new Set(small.records.map((r) => r.Id)).size, kLeads);
    const log1 = (await sim.get('/_sim/requests?path_prefix=/services/data')).requests.length;
    assert.equal(log1 - log0, Math.ceil(kLeads / 500));
  });

  test('jsforce scanAll (queryAll) sees deleted Leads that query hides', async () => {
    const list = await sim.get(`/_sim/salesforce/orgs/${orgId}/leads`);
    const victim = list[0].Id;
    await sim.del(`/_sim/salesforce/orgs/${orgId}/leads/${victim}`);
    const minted = await sim.post(`/_sim/salesforce/orgs/${orgId}/access_tokens`, {});
    const conn = new jsforce.Connection({ instanceUrl: sim.url, accessToken: minted.access_token, version: kVersion });
    const live = await conn.query('SELECT Id FROM Lead', { autoFetch: true, maxFetch: 100000 });
    assert.equal(live.totalSize, kLeads - 1);
    assert.ok(!live.records.some((r) => r.Id === victim));
    const all = await conn.query('SELECT Id, IsDeleted FROM Lead WHERE IsDeleted = true',
      { autoFetch: true, maxFetch: 100000, scanAll: true });
    assert.deepEqual(all.records.map((r) => [r.Id, r.IsDeleted]), [[victim, true]]);
    await sim.patch(`/_sim/salesforce/orgs/${orgId}/leads/${victim}`, { IsDeleted: false });
  });

  test('jsforce refreshes an expired session through the sim\'s token endpoint', async () => {
    const minted = await sim.post(`/_sim/salesforce/orgs/${orgId}/access_tokens`, {});
    const conn = new jsforce.Connection({
      oauth2: { clientId: 'official-client', clientSecret: 'official-secret', loginUrl: sim.url },
      instanceUrl: sim.url, accessToken: minted.access_token, refreshToken: 'sf-official-refresh', version: kVersion,
    });
    let refreshed = null;
    conn.on('refresh', (accessToken) => { refreshed = accessToken; });
    await sim.post(`/_sim/salesforce/orgs/${orgId}/access_tokens/expire`, {});
    const result = await conn.query('SELECT Id FROM Organization LIMIT 1');
    assert.equal(result.records[0].Id, orgId);
    assert.ok(refreshed && refreshed !== minted.access_token, 'jsforce refreshed the session');
    const identity = await conn.identity();
    assert.equal(identity.organization_id, orgId);

    // A revoked refresh token is invalid_grant, which jsforce reports instead of looping.
    await sim.del(`/_sim/salesforce/orgs/${orgId}/refresh_tokens/sf-official-refresh`);
    await sim.post(`/_sim/salesforce/orgs/${orgId}/access_tokens/expire`, {});
    await assert.rejects(conn.query('SELECT Id FROM Organization LIMIT 1'), /invalid_grant|expired access\/refresh token/);
  });
});
