// Teams against the real binaries: invite → accept → role change → removal; the audit entries
// of each sensitive action; a 100k-lead CSV export streamed in flat memory; deleting a tenant
// leaves no row of it in any table, on SQLite and on PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startStack, startServer, signup } from './lib/harness.mjs';

let stack;
before(async () => {
  stack = await startStack({
    env: {
      TENANTSYNC_VOICE_SCHEDULE: 'off', TENANTSYNC_CRM_SCHEDULE: 'off', TENANTSYNC_SYNC_ON_LOGIN_AFTER: '1000d',
      // Under AddressSanitizer freed memory is held back in a quarantine (256 MB by default),
      // which would hide whether the export's memory is flat; a small one keeps the measure honest.
      ASAN_OPTIONS: `${process.env.ASAN_OPTIONS ? `${process.env.ASAN_OPTIONS}:` : ''}quarantine_size_mb=2:thread_local_quarantine_size_kb=64`,
    },
  });
});
after(async () => { await stack?.stop(); });

const api = (...args) => stack.api(...args);

async function invite(owner, email, role) {
  const res = await api('POST', '/api/team/invitations', { token: owner.token, body: { email, role } });
  assert.equal(res.status, 201, res.text);
  return res.json;
}

async function join(owner, role) {
  const email = `${role}-${process.pid}-${Date.now()}@team.example`;
  const inv = await invite(owner, email, role);
  const res = await api('POST', `/api/team/invitations/${inv.token}/accept`, { body: { password: 'member password' } });
  assert.equal(res.status, 201, res.text);
  return { ...res.json, email, password: 'member password', invitation: inv };
}

async function audit(t, query = '') {
  const res = await api('GET', `/api/audit?limit=500${query}`, { token: t.token });
  assert.equal(res.status, 200, res.text);
  return res.json.items;
}

function vmHwmKb(pid) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
  return Number(line.split(/\s+/)[1]);
}

test('invite → accept → role change → removal, each refused below its role and each audited', async () => {
  const owner = await signup(stack, 'Team');
  const inv = await invite(owner, 'Vera@Team.example', 'viewer');
  assert.equal(inv.email, 'vera@team.example');
  assert.match(inv.token, /^[A-Za-z0-9_-]{20,}$/);
  assert.ok(Date.parse(inv.expires_at) - Date.now() > 6.9 * 86400e3, inv.expires_at);
  const pending = await api('GET', '/api/team/invitations', { token: owner.token });
  assert.equal(pending.json.items.length, 1);
  assert.ok(!pending.text.includes(inv.token), 'the link token is shown once');

  // The link tells the invitee where it leads before they accept.
  const preview = await api('GET', `/api/team/invitations/${inv.token}/accept`);
  assert.equal(preview.status, 200, preview.text);
  assert.deepEqual([preview.json.tenant_name, preview.json.email, preview.json.role], ['Team', 'vera@team.example', 'viewer']);
  const accepted = await api('POST', `/api/team/invitations/${inv.token}/accept`, { body: { password: 'vera password' } });
  assert.equal(accepted.status, 201, accepted.text);
  assert.equal((await api('GET', `/api/team/invitations/${inv.token}/accept`)).status, 404, 'a used link tells nothing more');
  const vera = accepted.json;
  for (const token of [inv.token, 'not-a-token']) {
    const again = await api('POST', `/api/team/invitations/${token}/accept`, { body: { password: 'vera password' } });
    assert.equal(again.status, 404, again.text);
  }
  const me = await api('GET', '/api/auth/me', { token: vera.token });
  assert.equal(me.json.user.role, 'viewer');
  assert.equal(me.json.tenant.id, owner.tenant_id);

  // A viewer reads, and every write is 403 forbidden_role with no effect.
  assert.equal((await api('GET', '/api/leads', { token: vera.token })).status, 200);
  const write = await api('POST', '/api/leads', { token: vera.token, body: { name: 'Nope', phone: '+14155550000' } });
  assert.equal(write.status, 403, write.text);
  assert.equal(write.json.error, 'forbidden_role');
  assert.equal((await api('GET', '/api/leads', { token: owner.token })).json.items.length, 0);
  assert.equal((await api('GET', '/api/audit', { token: vera.token })).status, 403);

  const members = (await api('GET', '/api/team/members', { token: owner.token })).json.items;
  assert.deepEqual(members.map((m) => m.role), ['owner', 'viewer']);
  const promoted = await api('PATCH', `/api/team/members/${vera.user.id}`, { token: owner.token, body: { role: 'admin' } });
  assert.equal(promoted.status, 200, promoted.text);
  assert.equal(promoted.json.role, 'admin');
  assert.equal((await api('GET', '/api/audit', { token: vera.token })).status, 200, 'the new role holds at once');

  // The last owner can be neither demoted nor removed; an admin cannot touch an owner.
  const ownerId = members[0].id;
  const demote = await api('PATCH', `/api/team/members/${ownerId}`, { token: owner.token, body: { role: 'admin' } });
  assert.equal(demote.status, 409, demote.text);
  assert.equal(demote.json.error, 'last_owner');
  assert.equal((await api('DELETE', `/api/team/members/${ownerId}`, { token: owner.token })).status, 409);
  assert.equal((await api('DELETE', `/api/team/members/${ownerId}`, { token: vera.token })).status, 403);

  const removed = await api('DELETE', `/api/team/members/${vera.user.id}`, { token: owner.token });
  assert.equal(removed.status, 204, removed.text);
  assert.equal((await api('GET', '/api/auth/me', { token: vera.token })).status, 401, 'tokens are revoked at once');
  const gone = await api('POST', '/api/auth/login', { body: { email: 'vera@team.example', password: 'vera password' } });
  assert.equal(gone.status, 401);

  const entries = await audit(owner);
  const actions = entries.map((e) => e.action);
  for (const a of ['member_invited', 'invitation_accepted', 'member_role_changed', 'member_removed'])
    assert.ok(actions.includes(a), `${a} in ${actions}`);
  const change = entries.find((e) => e.action === 'member_role_changed');
  assert.equal(change.actor.email, owner.email);
  assert.equal(change.address, '127.0.0.1');
  assert.deepEqual([change.detail.from, change.detail.to], ['viewer', 'admin']);
  assert.ok(!JSON.stringify(entries).includes(inv.token), 'no secret in the audit log');
  // Filters and the cursor.
  assert.deepEqual((await audit(owner, '&action=member_removed')).map((e) => e.action), ['member_removed']);
  const first = await api('GET', '/api/audit?limit=2', { token: owner.token });
  assert.equal(first.json.items.length, 2);
  const next = await api('GET', `/api/audit?limit=2&cursor=${first.json.next}`, { token: owner.token });
  assert.ok(next.json.items[0].id < first.json.items[1].id);
  const future = new Date(Date.now() + 3600e3).toISOString();
  assert.equal((await audit(owner, `&from=${future}`)).length, 0);
});

test('a person with a login joins a second tenant with it and switches between the two', async () => {
  const acme = await signup(stack, 'Acme two');
  const globex = await signup(stack, 'Globex two');
  const inv = await invite(acme, globex.email, 'member');

  // A new password for an e-mail that has a login: 409, and the link stays usable.
  const fresh = await api('POST', `/api/team/invitations/${inv.token}/accept`, { body: { password: 'another password' } });
  assert.equal(fresh.status, 409, fresh.text);
  assert.equal(fresh.json.error, 'email_taken');
  // Without a password the accept needs a login, and the login must be the invited one.
  const anonymous = await api('POST', `/api/team/invitations/${inv.token}/accept`, { body: {} });
  assert.equal(anonymous.status, 401, anonymous.text);
  const stranger = await signup(stack, 'Stranger');
  const wrong = await api('POST', `/api/team/invitations/${inv.token}/accept`, { token: stranger.token, body: {} });
  assert.equal(wrong.status, 403, wrong.text);
  assert.equal(wrong.json.error, 'invitation_email_mismatch');
  assert.ok(!wrong.text.includes(globex.email), 'the refusal does not say whom the link is for');

  const joined = await api('POST', `/api/team/invitations/${inv.token}/accept`, { token: globex.token, body: {} });
  assert.equal(joined.status, 201, joined.text);
  assert.equal(joined.json.tenant_id, acme.tenant_id);
  const inAcme = await api('GET', '/api/auth/me', { token: joined.json.token });
  assert.deepEqual([inAcme.json.tenant.id, inAcme.json.user.role], [acme.tenant_id, 'member']);
  const twice = await api('POST', `/api/team/invitations/${(await invite(acme, globex.email, 'viewer')).token}/accept`,
    { token: globex.token, body: {} });
  assert.equal(twice.status, 409, twice.text);
  assert.equal(twice.json.error, 'already_member');

  // Both tenants are listed; a switch gives a token of the other one, and the first token stays.
  const mine = await api('GET', '/api/auth/tenants', { token: globex.token });
  assert.equal(mine.status, 200, mine.text);
  assert.deepEqual(mine.json.items.map((t) => [t.tenant_id, t.role, t.current]),
    [[acme.tenant_id, 'member', false], [globex.tenant_id, 'owner', true]]);
  const switched = await api('POST', '/api/auth/switch', { token: globex.token, body: { tenant_id: acme.tenant_id } });
  assert.equal(switched.status, 200, switched.text);
  assert.equal((await api('GET', '/api/auth/me', { token: switched.json.token })).json.tenant.id, acme.tenant_id);
  assert.equal((await api('GET', '/api/auth/me', { token: globex.token })).json.tenant.id, globex.tenant_id);
  const notMine = await api('POST', '/api/auth/switch', { token: globex.token, body: { tenant_id: stranger.tenant_id } });
  assert.equal(notMine.status, 404, notMine.text);
  // A member's write in Acme is a member's: a lead yes, the voice key no.
  assert.equal((await api('POST', '/api/leads', { token: switched.json.token, body: { name: 'By Globex', phone: '+14155550123' } })).status, 201);
  assert.equal((await api('PUT', '/api/tenant/settings', { token: switched.json.token, body: { default_region: 'FR' } })).status, 403);
  // Logging in still opens the home tenant.
  const login = await api('POST', '/api/auth/login', { body: { email: globex.email, password: globex.password } });
  assert.equal(login.json.tenant_id, globex.tenant_id);

  // Removed from Acme: signed out of Acme at once, the login and its own tenant untouched.
  const removed = await api('DELETE', `/api/team/members/${globex.user.id}`, { token: acme.token });
  assert.equal(removed.status, 204, removed.text);
  assert.equal((await api('GET', '/api/auth/me', { token: switched.json.token })).status, 401);
  assert.equal((await api('GET', '/api/auth/me', { token: globex.token })).status, 200);
  assert.deepEqual((await api('GET', '/api/auth/tenants', { token: globex.token })).json.items.map((t) => t.tenant_id), [globex.tenant_id]);
  const actions = (await audit(acme)).map((e) => e.action);
  for (const a of ['invitation_accepted', 'tenant_switched_in', 'member_removed']) assert.ok(actions.includes(a), `${a} in ${actions}`);
});

test('the sensitive actions are in the audit log with who, when, where and never a secret', async () => {
  const id = `acct-team${process.pid}`;
  const key = `bn-${id}-secretkey`;
  await stack.sim.post('/_sim/bolna/accounts', { id, key });
  await stack.sim.post(`/_sim/bolna/accounts/${id}/generate`, { seed: 1, agents: 4, phone_numbers: 0, batches: 0, executions: 0 });
  const owner = await signup(stack, 'Audited');
  const admin = await join(owner, 'admin');
  const member = await join(owner, 'member');

  // Logins, good and bad.
  assert.equal((await api('POST', '/api/auth/login', { body: { email: owner.email, password: 'wrong password' } })).status, 401);
  assert.equal((await api('POST', '/api/auth/login', { body: { email: owner.email, password: owner.password } })).status, 200);
  // The key: set, changed, removed; the base URL changed. A member may not.
  assert.equal((await api('PUT', '/api/tenant/settings', { token: member.token, body: { voice_api_key: key } })).status, 403);
  const set = await api('PUT', '/api/tenant/settings', { token: admin.token, body: { voice_api_key: key, voice_base_url: stack.simUrl } });
  assert.equal(set.status, 200, set.text);
  await waitIdle(owner);
  // Held plan: every agent gone upstream is held; the admin cancels it, then confirms another.
  await stack.sim.del(`/_sim/bolna/accounts/${id}/agents`);
  const held = await api('POST', '/api/tenant/sync', { token: member.token, body: {} });
  assert.equal(held.status, 409, held.text);
  const confirmByMember = await api('POST', '/api/tenant/sync', { token: member.token, body: { confirm_plan: held.json.plan_id } });
  assert.equal(confirmByMember.status, 403, confirmByMember.text);
  const cancelled = await api('POST', `/api/sync/runs/${held.json.run_id}/cancel`, { token: admin.token });
  assert.equal(cancelled.status, 200, cancelled.text);
  const heldAgain = await api('POST', '/api/tenant/sync', { token: member.token, body: {} });
  assert.equal(heldAgain.status, 409, heldAgain.text);
  const confirmed = await api('POST', '/api/tenant/sync', { token: admin.token, body: { confirm_plan: heldAgain.json.plan_id } });
  assert.equal(confirmed.status, 200, confirmed.text);
  // Restore one of the archived agents.
  const archived = (await api('GET', '/api/archive?limit=10', { token: owner.token })).json.items;
  assert.ok(archived.length > 0);
  const restored = await api('POST', `/api/archive/agents/${archived[0].id}/restore`, { token: admin.token });
  assert.equal(restored.status, 200, restored.text);
  // CRM connect and disconnect.
  const portal = 6_100_000 + process.pid % 1000;
  await stack.sim.post('/_sim/hubspot/portals', { portal_id: portal, tokens: [`pat-team-${portal}`], search_per_second: 0 });
  const crm = await api('POST', '/api/crm/connect', { token: admin.token, body: { provider: 'hubspot', access_token: `pat-team-${portal}` } });
  assert.equal(crm.status, 202, crm.text);
  await waitIdle(owner);
  assert.equal((await api('DELETE', `/api/crm/connections/${crm.json.connection.id}`, { token: admin.token })).status, 204);
  // The key saved again (a change of the saved key), and an export.
  const changed = await api('PUT', '/api/tenant/settings', { token: admin.token, body: { voice_api_key: key } });
  assert.equal(changed.status, 200, changed.text);
  await waitIdle(owner);
  const exported = await api('GET', '/api/leads/export?format=jsonl', { token: member.token });
  assert.equal(exported.status, 200, exported.text);

  const entries = await audit(admin);
  const byAction = (a) => entries.filter((e) => e.action === a);
  for (const a of ['login', 'login_failed', 'key_set', 'base_url_changed', 'key_changed', 'plan_cancelled',
    'plan_confirmed', 'restored', 'crm_connected', 'crm_disconnected', 'member_invited', 'export']) {
    assert.ok(byAction(a).length > 0, `${a} missing from ${entries.map((e) => e.action)}`);
  }
  assert.equal(byAction('key_set')[0].actor.email, admin.email);
  assert.equal(byAction('key_set')[0].detail.last4, key.slice(-4));
  assert.equal(byAction('login_failed')[0].actor.id, null);
  assert.equal(byAction('base_url_changed')[0].detail.to, stack.simUrl);
  assert.equal(byAction('export')[0].detail.resource, 'leads');
  for (const e of entries) {
    assert.ok(Date.parse(e.at) > Date.now() - 600e3, e.at);
    assert.equal(e.address, '127.0.0.1');
  }
  const text = JSON.stringify(entries);
  for (const secret of [key, `pat-team-${portal}`, owner.password, 'wrong password'])
    assert.ok(!text.includes(secret), `the audit log holds a secret: ${secret}`);
  // Only the actor's entries with ?actor=.
  const mine = await audit(admin, `&actor=${admin.user.id}`);
  assert.ok(mine.length > 0 && mine.every((e) => e.actor.id === admin.user.id));
});

async function waitIdle(t, ms = 30000) {
  for (const until = Date.now() + ms; Date.now() < until;) {
    const runs = (await api('GET', '/api/sync/runs', { token: t.token })).json.items;
    if (!runs.some((r) => ['queued', 'running'].includes(r.state))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('runs did not finish');
}

/** Writes `count` leads for the tenant straight into the server's SQLite database. */
function seedLeads(tenantId, count) {
  const db = stack.databaseUrl.replace(/^sqlite:/, '');
  execFileSync('sqlite3', [db, '.timeout 10000', `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count})
    INSERT INTO leads (tenant_id, source, name, email, email_norm, phone_e164, phone_valid, match_reason, created_at, updated_at)
    SELECT ${tenantId}, 'manual', 'Lead ' || i || ' ' || hex(randomblob(40)), 'lead' || i || '@bulk.example', 'lead' || i || '@bulk.example',
           '+1415' || printf('%07d', i), 1, 'manual', 1700000000000 + i, 1700000000000 + i FROM n;`]);
}

/** Streams a CSV export, counting lines without holding the body. */
async function streamCsv(token, query = '') {
  const res = await fetch(`${stack.baseUrl}/api/leads/export?format=csv${query}`, { headers: { authorization: `Bearer ${token}` } });
  const out = { res, lines: 0, bytes: 0, head: '', formula: null, tail: '' };
  const decoder = new TextDecoder();
  for await (const chunk of res.body) {
    out.bytes += chunk.length;
    const parts = (out.tail + decoder.decode(chunk, { stream: true })).split('\r\n');
    out.tail = parts.pop();
    for (const line of parts) {
      if (out.lines === 0) out.head = line;
      if (line.includes('HYPERLINK')) out.formula = line;
      out.lines++;
    }
  }
  return out;
}

test('a 100k-lead CSV export streams in flat memory and neutralizes formulas', async () => {
  const small = await signup(stack, 'Small exporter');
  const owner = await signup(stack, 'Exporter');
  const formula = await api('POST', '/api/leads', { token: owner.token, body: { name: '=HYPERLINK("http://evil.example")', phone: '+14155552671' } });
  assert.equal(formula.status, 201, formula.text);
  // Leads written straight into the database (the API adds one at a time).
  seedLeads(small.tenant_id, 25000);
  seedLeads(owner.tenant_id, 100000);

  // The baseline: a whole export of 25 000 leads, so it holds everything an export needs that
  // does not grow with its length (SQLite's page cache of each reader connection, the pieces).
  // Memory that grew with the rows would show in the four times longer export that follows.
  const warm = await streamCsv(small.token);
  assert.equal(warm.lines, 25001);
  // The same pages the long export reads, with an empty body: a filter that matches no lead scans
  // every row of the tenant, so the page caches of the reader connections are as full before the
  // measure as they will be during it (up to 8 readers x 2 MB of SQLite's cache).
  const scan = await streamCsv(owner.token, '&q=no-such-lead');
  assert.equal(scan.lines, 1, 'only the header');
  const before = vmHwmKb(stack.proc.pid);
  const started = Date.now();
  const big = await streamCsv(owner.token);
  const seconds = (Date.now() - started) / 1000;
  const after = vmHwmKb(stack.proc.pid);
  const { res, lines, bytes, head, formula: sawFormula, tail } = big;
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/csv/);
  assert.match(res.headers.get('content-disposition'), /attachment; filename="leads.csv"/);
  assert.equal(res.headers.get('transfer-encoding'), 'chunked');
  assert.equal(tail, '');
  assert.equal(lines, 1 + 100001, 'a header and every lead');
  assert.ok(head.startsWith('id,name,email,phone_e164'), head);
  assert.ok(sawFormula && sawFormula.includes(`"'=HYPERLINK(""http://evil.example"")"`), `formula not neutralized: ${sawFormula}`);
  assert.ok(sawFormula.includes(',+14155552671,'), `a phone number stays a number: ${sawFormula}`);
  const growthMb = (after - before) / 1024;
  process.stdout.write(`# export: ${lines - 1} rows, ${(bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s; VmHWM ${(before / 1024).toFixed(1)} -> ${(after / 1024).toFixed(1)} MB (+${growthMb.toFixed(1)} MB)\n`);
  // Flat: holding the body, or its rows, would grow the peak by more than the body's size.
  assert.ok(bytes > 18e6, `the export is big enough to tell: ${bytes} bytes`);
  // AddressSanitizer's allocator (the test command's build) keeps chunks per thread and per size
  // class: as pieces are made on the blocking pool's threads its peak wanders by 3-12 MB, even on a
  // second export of the same rows (measured). Either bound stays under three quarters of the
  // body's own 20.8 MB, which holding the body would add (holding its rows, several times that).
  const limitMb = process.env.ASAN_OPTIONS ? 15 : 5;
  assert.ok(growthMb < limitMb, `VmHWM grew ${growthMb.toFixed(1)} MB for a ${(bytes / 1e6).toFixed(1)} MB export (limit ${limitMb} MB)`);

  // JSON Lines of calls: an empty tenant's export is an empty body, not an error.
  const calls = await api('GET', '/api/executions/export?format=jsonl', { token: owner.token });
  assert.equal(calls.status, 200, calls.text);
  assert.equal(calls.text, '');
  const jsonl = await api('GET', '/api/leads/export?format=jsonl&q=HYPERLINK', { token: owner.token });
  assert.equal(jsonl.status, 200, jsonl.text);
  assert.equal(JSON.parse(jsonl.text.trim()).name, '=HYPERLINK("http://evil.example")', 'JSON Lines keep the value as is');
  assert.equal((await api('GET', '/api/leads/export?format=xml', { token: owner.token })).status, 400);
});

// The tables with a tenant_id column, and how many rows of `tenantId` each holds, read from the
// database's own catalog, so tables other parts add later are covered too.
function rowsLeft(server, tenantId) {
  const url = server.databaseUrl;
  const run = (sql) => (url.startsWith('sqlite:')
    ? execFileSync('sqlite3', [url.slice('sqlite:'.length), sql])
    : execFileSync('psql', [url, '-XAtq', '-c', sql])).toString().trim();
  const tables = run(url.startsWith('sqlite:')
    ? "SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) c WHERE m.type = 'table' AND c.name = 'tenant_id'"
    : "SELECT table_name FROM information_schema.columns WHERE column_name = 'tenant_id' AND table_schema = current_schema()")
    .split('\n').filter(Boolean);
  const counts = {};
  for (const t of tables) counts[t] = Number(run(`SELECT COUNT(*) FROM "${t}" WHERE tenant_id = ${tenantId}`));
  counts.tenants = Number(run(`SELECT COUNT(*) FROM tenants WHERE id = ${tenantId}`));
  return counts;
}

for (const backend of ['sqlite', 'postgres']) {
  test(`deleting a tenant leaves no row of it in any table (${backend})`, async () => {
    const server = backend === 'sqlite' ? stack : await startServer({ backend, env: { TENANTSYNC_VOICE_SCHEDULE: 'off', TENANTSYNC_CRM_SCHEDULE: 'off' } });
    try {
      const api2 = server.api;
      const owner = await signup(server, 'Doomed');
      const other = await signup(server, 'Survivor');
      // Rows in many tables: members, an invitation, a lead, audit entries, runs and jobs.
      const inv = await api2('POST', '/api/team/invitations', { token: owner.token, body: { email: `a${Date.now()}@doomed.example`, role: 'admin' } });
      const admin = await api2('POST', `/api/team/invitations/${inv.json.token}/accept`, { body: { password: 'admin password' } });
      assert.equal(admin.status, 201, admin.text);
      await api2('POST', '/api/team/invitations', { token: owner.token, body: { email: 'pending@doomed.example', role: 'viewer' } });
      // The survivor's owner belongs to the doomed tenant too: their login outlives it.
      const guest = await api2('POST', '/api/team/invitations', { token: owner.token, body: { email: other.email, role: 'member' } });
      const joined = await api2('POST', `/api/team/invitations/${guest.json.token}/accept`, { token: other.token, body: {} });
      assert.equal(joined.status, 201, joined.text);
      assert.equal((await api2('POST', '/api/leads', { token: owner.token, body: { name: 'Gone', phone: '+14155550100' } })).status, 201);
      assert.equal((await api2('POST', '/api/leads', { token: other.token, body: { name: 'Stays', phone: '+14155550101' } })).status, 201);
      await api2('POST', '/api/tenant/sync', { token: owner.token, body: {} });
      const filled = rowsLeft(server, owner.tenant_id);
      for (const t of ['users', 'memberships', 'tokens', 'invitations', 'leads', 'audit_log'])
        assert.ok(filled[t] > 0, `${t} should hold rows before: ${JSON.stringify(filled)}`);

      // Owner only, and the password again.
      const byAdmin = await api2('DELETE', '/api/tenant', { token: admin.json.token, body: { password: 'admin password' } });
      assert.equal(byAdmin.status, 403, byAdmin.text);
      assert.equal(byAdmin.json.error, 'forbidden_role');
      const wrong = await api2('DELETE', '/api/tenant', { token: owner.token, body: { password: 'not it' } });
      assert.equal(wrong.status, 403, wrong.text);
      assert.equal(wrong.json.error, 'invalid_credentials');
      const deleted = await api2('DELETE', '/api/tenant', { token: owner.token, body: { password: owner.password } });
      assert.equal(deleted.status, 204, deleted.text);

      const left = rowsLeft(server, owner.tenant_id);
      assert.ok(Object.keys(left).length >= 10, JSON.stringify(left));
      for (const [table, n] of Object.entries(left)) assert.equal(n, 0, `${table} still holds ${n} rows of the tenant`);
      assert.equal((await api2('GET', '/api/auth/me', { token: owner.token })).status, 401);
      assert.equal((await api2('GET', '/api/auth/me', { token: admin.json.token })).status, 401);
      const login = await api2('POST', '/api/auth/login', { body: { email: owner.email, password: owner.password } });
      assert.equal(login.status, 401);
      // The other tenant is untouched, and so is the login of its owner who belonged to both.
      const survivor = await api2('GET', '/api/leads', { token: other.token });
      assert.equal(survivor.json.items.length, 1);
      assert.equal((await api2('GET', '/api/auth/me', { token: joined.json.token })).status, 401);
      const relogin = await api2('POST', '/api/auth/login', { body: { email: other.email, password: other.password } });
      assert.equal(relogin.status, 200, relogin.text);
      assert.equal(relogin.json.tenant_id, other.tenant_id);
      assert.ok(rowsLeft(server, other.tenant_id).users > 0);
    } finally {
      if (server !== stack) await server.stop();
    }
  });
}
