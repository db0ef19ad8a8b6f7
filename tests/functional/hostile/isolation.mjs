// Issue 9: tenant isolation over HTTP, against the real binaries. Tenant B gets rows in every
// table (mirror rows of every resource, an archive, runs including a held plan, manual and CRM
// leads, a CRM connection); then tenant A calls every route of the router with B's ids. Nothing
// of B may be read, changed or revealed. The routes come from the route table's source, so a
// route added without a case here fails this test.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { signup, startStack } from '../lib/harness.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');

// Every route the API registers, read from its source: `{"METHOD", "/path", Access::…` in the
// route files, and the mirror routes the loop of mirror_routes.cpp makes, one per resource.
function routesFromSource(resources) {
  const folder = join(root, 'src/api');
  const routes = new Set();
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.cpp') && !f.endsWith('_test.cpp'))) {
    const text = readFileSync(join(folder, file), 'utf8');
    if (!text.includes('router.add(')) continue;
    for (const m of text.matchAll(/\{\s*"(GET|POST|PUT|PATCH|DELETE)",\s*"(\/[^"]*)",\s*Access::/g)) routes.add(`${m[1]} ${m[2]}`);
    if (/router\.add\(\{"GET", path, Access::/.test(text)) {
      for (const r of resources) routes.add(`GET /api/${r.replaceAll('_', '-')}`);
    }
  }
  return [...routes].sort();
}

async function waitFor(check, ms = 20_000) {
  for (const deadline = Date.now() + ms; Date.now() < deadline;) {
    const value = await check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

// Reads an SSE stream for `ms` and returns its text.
async function readEvents(baseUrl, token, ms, during) {
  const controller = new AbortController();
  const res = await fetch(`${baseUrl}/api/events`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  let text = '';
  const reading = (async () => {
    try {
      for await (const chunk of res.body) text += Buffer.from(chunk).toString();
    } catch { /* aborted */ }
  })();
  await during();
  await new Promise((r) => setTimeout(r, ms));
  controller.abort();
  await reading;
  return { status: res.status, text };
}

describe('tenant isolation: A gets nothing of B through any route', () => {
  let stack;
  let a;
  let b;
  const seen = {};  // B's ids and markers

  const asB = (method, path, body) => stack.api(method, path, { token: b.token, body });

  before(async () => {
    // A cron secret, so the cron route is live and must refuse a tenant's token.
    stack = await startStack({ env: { TENANTSYNC_VOICE_SCHEDULE: 'off', TENANTSYNC_CRM_SCHEDULE: 'off',
      CRON_SECRET: `isolation-cron-${process.pid}-0123456789` } });
    a = await signup(stack, 'Alpha');
    b = await signup(stack, 'Bravo');

    // B's voice account: every resource, then one phone number removed upstream (an archive row).
    const id = `acct-bravo-${process.pid}`;
    const account = `/_sim/bolna/accounts/${id}`;
    await stack.sim.post('/_sim/bolna/accounts', { id, key: `bn-bravo-secret-${process.pid}` });
    await stack.sim.post(`${account}/generate`, { seed: 7, agents: 3, phone_numbers: 3, batches: 1, executions: 6, days: 3 });
    const put = await asB('PUT', '/api/tenant/settings', { voice_api_key: `bn-bravo-secret-${process.pid}` });
    assert.equal(put.status, 200, put.text);
    await waitFor(async () => (await asB('GET', '/api/tenant/summary')).json.counts.executions > 0);
    const numbers = await stack.sim.get(`${account}/phone_numbers`);
    const numberList = Array.isArray(numbers) ? numbers : numbers.items ?? numbers.phone_numbers;
    await stack.sim.del(`${account}/phone_numbers/${numberList[0].id}`);
    const archived = await asB('POST', '/api/tenant/sync', {});
    assert.equal(archived.status, 200, archived.text);
    // Then every agent removed upstream: the guard holds the plan.
    await stack.sim.del(`${account}/agents`);
    const held = await asB('POST', '/api/tenant/sync', {});
    assert.equal(held.status, 409, held.text);
    assert.equal(held.json.error, 'mass_removal_held');
    seen.planId = held.json.plan_id;

    // B's CRM: the demo HubSpot portal (contacts become leads), and a lead made by hand.
    const connect = await asB('POST', '/api/crm/connect', { provider: 'hubspot', access_token: 'pat-demo-hubspot-1' });
    assert.ok([200, 201, 202].includes(connect.status), connect.text);
    const manual = await asB('POST', '/api/leads', { name: 'Bravo Manual Lead', phone: '+14155550142', email: 'manual-lead@bravo.example' });
    assert.ok([200, 201].includes(manual.status), manual.text);
    await waitFor(async () => (await asB('GET', '/api/leads?limit=500')).json.items.length > 20);
    // B's team: a pending invitation (its token and e-mail are B's alone).
    const invited = await asB('POST', '/api/team/invitations', { email: 'bea-invited@bravo.example', role: 'viewer' });
    assert.equal(invited.status, 201, invited.text);
    seen.invitation = invited.json;
    // B's webhook (to a closed loopback port: nothing leaves the machine) and its call-webhook URL.
    const hook = await asB('POST', '/api/webhooks', { url: 'http://127.0.0.1:9/bravo-receiver', events: ['run.finished'] });
    assert.equal(hook.status, 201, hook.text);
    seen.webhook = hook.json;
    seen.callWebhookUrl = (await asB('GET', '/api/tenant/settings')).json.call_webhook_url;
    assert.ok(seen.callWebhookUrl, 'B has a call-webhook URL');

    // Every run of B's ended (the CRM run the connect started too), so the snapshot stays still.
    assert.ok(await waitFor(async () => (await asB('GET', '/api/sync/runs?limit=100')).json.items
      .every((r) => !['queued', 'running'].includes(r.state))), 'B\'s runs did not finish');
    // What B has, read with B's own token: the ids A will try, and the values A must never see.
    seen.runs = (await asB('GET', '/api/sync/runs?limit=100')).json.items;
    seen.heldRun = seen.runs.find((r) => r.state === 'held');
    assert.ok(seen.heldRun, 'B has a held run');
    seen.archive = (await asB('GET', '/api/archive?limit=500')).json.items;
    assert.ok(seen.archive.length > 0, 'B has archived rows');
    seen.connections = (await asB('GET', '/api/crm/status')).json.connections;
    assert.ok(seen.connections.length > 0, 'B has a CRM connection');
    seen.leads = (await asB('GET', '/api/leads?limit=500')).json.items;
    seen.resources = Object.keys((await asB('GET', '/api/tenant/summary')).json.counts);
    seen.mirror = {};
    for (const r of seen.resources) {
      seen.mirror[r] = (await asB('GET', `/api/${r.replaceAll('_', '-')}?limit=500`)).json.items;
      assert.ok(seen.mirror[r].length > 0, `B has ${r}`);
    }
    // Strings that are B's alone: upstream ids, lead e-mails and phones, the plan, the account.
    const markers = new Set([b.email, `bn-bravo-secret-${process.pid}`, id, seen.planId, 'Bravo Manual Lead', 'manual-lead@bravo.example',
      seen.invitation.token, seen.invitation.email, seen.webhook.secret, seen.callWebhookUrl.split('/').pop()]);
    for (const items of Object.values(seen.mirror)) for (const m of items) if (m.upstream_id) markers.add(String(m.upstream_id));
    for (const m of seen.archive) if (m.upstream_id) markers.add(String(m.upstream_id));
    for (const l of seen.leads) for (const f of ['email', 'phone_e164', 'crm_id']) if (l[f]) markers.add(String(l[f]));
    for (const c of seen.connections) if (c.provider_account_id) markers.add(String(c.provider_account_id));
    // A's own lead below reuses the manual lead's phone on purpose, so that phone is no marker.
    markers.delete('+14155550142');
    seen.markers = [...markers].filter((m) => m && m.length >= 6);
    assert.ok(seen.markers.length >= 30, `too few of B's values to look for: ${seen.markers.length}`);
    seen.snapshot = await snapshotOfB();
  });
  after(async () => { await stack?.stop(); });

  // Everything of B that a request of A could change, read through B's token.
  async function snapshotOfB() {
    const paths = ['/api/tenant/settings', '/api/sync/runs?limit=100', '/api/archive?limit=500', '/api/crm/status',
      '/api/leads?limit=500', '/api/auth/me', '/api/team/members', '/api/team/invitations', '/api/audit?limit=500',
      ...seen.resources.map((r) => `/api/${r.replaceAll('_', '-')}?limit=500`),
      ...seen.runs.map((r) => `/api/sync/runs/${r.id}`)];
    const out = {};
    for (const p of paths) {
      const res = await asB('GET', p);
      assert.equal(res.status, 200, `${p}: ${res.text}`);
      out[p] = res.json;
    }
    // A's failed login with B's e-mail is rightly in B's audit log (an attempt on B's account);
    // nothing else of A's may be.
    const audit = out['/api/audit?limit=500'];
    audit.items = audit.items.filter((e) => e.action !== 'login_failed');
    return out;
  }

  function assertNothingOfB(label, res) {
    for (const marker of seen.markers) {
      assert.ok(!res.text.includes(marker), `${label} revealed B's "${marker}": ${res.text.slice(0, 500)}`);
    }
  }

  // How A calls each route: B's ids in the path, a body that passes validation. A route of the
  // source without an entry here fails the test: every new route needs its isolation case.
  function cases() {
    const bRun = seen.heldRun.id;
    const bConnection = seen.connections[0].id;
    const bArchived = seen.archive[0];
    const mirrorCases = Object.fromEntries(seen.resources.map((r) => {
      const path = `/api/${r.replaceAll('_', '-')}`;
      return [`GET ${path}`, [{ path: `${path}?limit=500` }]];
    }));
    return {
      'GET /healthz': [{ path: '/healthz', open: true }],
      'GET /readyz': [{ path: '/readyz', open: true }],
      'GET /metrics': [{ path: '/metrics', open: true }],
      'GET /api/openapi.json': [{ path: '/api/openapi.json', open: true }],
      'POST /api/auth/signup': [{ path: '/api/auth/signup', open: true, expect: [409],
        body: { tenant_name: 'Copycat', email: b.email, password: 'some password 1' } }],
      'POST /api/auth/login': [{ path: '/api/auth/login', open: true, expect: [401], body: { email: b.email, password: 'not the password' } }],
      'POST /api/auth/logout': [{ path: '/api/auth/logout', ownToken: true, expect: [204] }],
      'POST /api/auth/logout-all': [{ path: '/api/auth/logout-all', ownToken: true, expect: [200] }],
      'GET /api/auth/me': [{ path: '/api/auth/me' }],
      'GET /api/auth/tenants': [{ path: '/api/auth/tenants' }],
      // B's tenant id: A is no member of it, and is told no more than that.
      'POST /api/auth/switch': [{ path: '/api/auth/switch', body: { tenant_id: b.tenant_id }, expect: [404] }],
      'GET /api/tenant/settings': [{ path: '/api/tenant/settings' }],
      'PUT /api/tenant/settings': [{ path: '/api/tenant/settings', body: { default_region: 'FR' } }],
      'POST /api/tenant/sync': [{ path: '/api/tenant/sync', body: {}, expect: [400, 404, 409, 422] },
        { path: '/api/tenant/sync', body: { confirm_plan: seen.planId }, expect: [400, 404, 409, 422] }],
      'GET /api/tenant/summary': [{ path: '/api/tenant/summary' }],
      'GET /api/sync/runs': [{ path: '/api/sync/runs?limit=100' }],
      'GET /api/sync/runs/{id}': seen.runs.map((r) => ({ path: `/api/sync/runs/${r.id}`, expect: [404] })),
      'POST /api/sync/runs/{id}/confirm': [{ path: `/api/sync/runs/${bRun}/confirm`, body: { plan_id: seen.planId }, expect: [404] }],
      'POST /api/sync/runs/{id}/cancel': [{ path: `/api/sync/runs/${bRun}/cancel`, expect: [404] }],
      'GET /api/events': [{ events: true }],
      'GET /api/archive': [{ path: '/api/archive?limit=500' }],
      'POST /api/archive/{resource}/{id}/restore': [{ path: `/api/archive/${bArchived.resource}/${bArchived.id}/restore`, expect: [404] }],
      'POST /api/crm/connect': [{ path: '/api/crm/connect', body: { provider: 'hubspot', connection_id: bConnection }, expect: [400, 404, 422] }],
      'GET /api/crm/status': [{ path: '/api/crm/status' }],
      // A's own session: nothing in it is B's (the body names no connection).
      'POST /api/crm/connect-session': [{ path: '/api/crm/connect-session', body: { provider: 'hubspot' }, expect: [201] }],
      'POST /api/crm/sync': [{ path: '/api/crm/sync', body: { connection_id: bConnection }, expect: [200, 404, 409, 422] }],
      'DELETE /api/crm/connections/{id}': [{ path: `/api/crm/connections/${bConnection}`, expect: [404] }],
      'GET /api/cron/sync-crm': [{ path: '/api/cron/sync-crm', expect: [401] }],
      'GET /api/leads': [{ path: '/api/leads?limit=500' }, { path: `/api/leads?limit=500&q=${encodeURIComponent('Bravo')}` }],
      // B has a lead with this phone; A's is new all the same (a 409 here would reveal B's lead).
      'POST /api/leads': [{ path: '/api/leads', body: { name: 'Alpha Lead', phone: '+14155550142' }, expect: [201] }],
      ...mirrorCases,
      // The call log, the agent and campaign pages, a lead and its calls: B's row ids are 404.
      'GET /api/executions/{id}': seen.mirror.executions.slice(0, 3).map((e) => ({ path: `/api/executions/${e.id}`, expect: [404] })),
      'GET /api/agents/{id}': [{ path: `/api/agents/${seen.mirror.agents[0].id}`, expect: [404] }],
      'GET /api/campaigns/{id}': [{ path: `/api/campaigns/${seen.mirror.campaigns[0].id}`, expect: [404] }],
      'GET /api/leads/{id}': seen.leads.slice(0, 3).map((l) => ({ path: `/api/leads/${l.id}`, expect: [404] })),
      'GET /api/leads/{id}/calls': [{ path: `/api/leads/${seen.leads[0].id}/calls`, expect: [404] }],
      'GET /api/executions': [{ path: '/api/executions?limit=500' },
        { path: `/api/executions?q=${encodeURIComponent(seen.mirror.executions[0].upstream_id)}`, expect: [200] }],
      'GET /api/stats/calls': [{ path: '/api/stats/calls', expect: [200] }],
      'GET /api/stats/agents': [{ path: '/api/stats/agents', expect: [200] }],
      'GET /api/stats/leads': [{ path: '/api/stats/leads', expect: [200] }],
      'GET /api/team/members': [{ path: '/api/team/members' }],
      'PATCH /api/team/members/{id}': [{ path: `/api/team/members/${b.user.id}`, body: { role: 'viewer' }, expect: [404] }],
      'DELETE /api/team/members/{id}': [{ path: `/api/team/members/${b.user.id}`, expect: [404] }],
      'GET /api/team/invitations': [{ path: '/api/team/invitations' }],
      'POST /api/team/invitations': [{ path: '/api/team/invitations', body: { email: 'al@alpha.example', role: 'viewer' }, expect: [201] }],
      'DELETE /api/team/invitations/{id}': [{ path: `/api/team/invitations/${seen.invitation.id}`, expect: [404] }],
      // With a password or with A's login: B's invitation is for another address, so A's login is
      // refused without joining B (and without being told whom it is for).
      // An unknown link tells nothing; B's link is only B's invitee's to read (its token is a marker).
      'GET /api/team/invitations/{token}/accept': [{ path: '/api/team/invitations/not-bravos-token/accept', open: true, expect: [404] }],
      'POST /api/team/invitations/{token}/accept': [{ path: '/api/team/invitations/not-bravos-token/accept', open: true,
        body: { password: 'some password 1' }, expect: [404] },
      { path: `/api/team/invitations/${seen.invitation.token}/accept`, body: {}, expect: [403] }],
      // A's own tenant with a wrong password: refused (the right one would delete A, not B).
      'DELETE /api/tenant': [{ path: '/api/tenant', body: { password: 'not the password' }, expect: [403] }],
      'GET /api/audit': [{ path: '/api/audit?limit=500' }],
      'GET /api/leads/export': [{ path: '/api/leads/export?format=csv' }, { path: '/api/leads/export?format=jsonl&q=Bravo' }],
      'GET /api/executions/export': [{ path: '/api/executions/export?format=jsonl' }],
      'GET /api/changes': [{ path: '/api/changes?limit=1000' }],
      'GET /api/webhooks': [{ path: '/api/webhooks' }],
      // A's own webhook, to a closed loopback port.
      'POST /api/webhooks': [{ path: '/api/webhooks', body: { url: 'http://127.0.0.1:9/alpha-receiver', events: ['run.finished'] }, expect: [201] }],
      'GET /api/webhooks/{id}': [{ path: `/api/webhooks/${seen.webhook.id}`, expect: [404] }],
      'PATCH /api/webhooks/{id}': [{ path: `/api/webhooks/${seen.webhook.id}`, body: { active: false }, expect: [404] }],
      'DELETE /api/webhooks/{id}': [{ path: `/api/webhooks/${seen.webhook.id}`, expect: [404] }],
      'POST /api/webhooks/{id}/rotate-secret': [{ path: `/api/webhooks/${seen.webhook.id}/rotate-secret`, expect: [404] }],
      'GET /api/webhooks/{id}/deliveries': [{ path: `/api/webhooks/${seen.webhook.id}/deliveries`, expect: [404] }],
      'POST /api/webhooks/{id}/deliveries/{delivery}/redeliver': [{ path: `/api/webhooks/${seen.webhook.id}/deliveries/1/redeliver`, expect: [404] }],
      // A's own token: rotating it changes nothing of B's.
      'POST /api/tenant/hook-token/rotate': [{ path: '/api/tenant/hook-token/rotate', expect: [200] }],
      // A has no voice key: refused before any platform call; B's agents (checked below) keep theirs.
      'POST /api/tenant/call-webhook/agents': [{ path: '/api/tenant/call-webhook/agents', body: { enabled: true, replace_others: true }, expect: [422] }],
      // Pushes with a token or a signature that is not B's: refused, nothing written.
      'POST /hooks/bolna/{token}': [{ path: '/hooks/bolna/ts_not_bravos_token', open: true, body: { id: 'x', agent_id: 'y' }, expect: [404] }],
      'POST /hooks/hubspot': [{ path: '/hooks/hubspot', open: true, body: [], expect: [401, 404, 503] }],
    };
  }

  test('every route of the source has a case, and the server serves each one', async () => {
    const routes = routesFromSource(seen.resources);
    assert.ok(routes.length >= 25, `only ${routes.length} routes found: ${routes.join(', ')}`);
    const table = cases();
    const missing = routes.filter((r) => !(r in table));
    assert.deepEqual(missing, [], `routes without an isolation case: ${missing.join(', ')}`);
    const stale = Object.keys(table).filter((r) => !routes.includes(r));
    assert.deepEqual(stale, [], `cases for routes that no longer exist: ${stale.join(', ')}`);
  });

  test('A, with B\'s ids, reads, changes and learns nothing of B', async () => {
    const table = cases();
    const calls = [];
    // Logouts last: logout-all ends every session of A's, the one the other calls use included.
    const entries = Object.entries(table).sort(([, x], [, y]) => Number(!!x[0].ownToken) - Number(!!y[0].ownToken));
    for (const [route, list] of entries) {
      const method = route.split(' ')[0];
      for (const c of list) {
        if (c.events) continue;
        let token = c.open ? undefined : a.token;
        if (c.ownToken) {
          // A fresh login of A's, so logging it out does not end A's session for the other calls.
          const login = await stack.api('POST', '/api/auth/login', { body: { email: a.email, password: a.password } });
          assert.equal(login.status, 200, login.text);
          token = login.json.token;
        }
        const res = await stack.api(method, c.path, { token, body: c.body });
        calls.push(route);
        assert.ok(res.status < 500, `${route} ${c.path}: ${res.status} ${res.text}`);
        if (c.expect) assert.ok(c.expect.includes(res.status), `${route} ${c.path}: expected ${c.expect}, got ${res.status} ${res.text}`);
        assertNothingOfB(`${route} ${c.path}`, res);
      }
    }
    assert.ok(calls.length >= 30);
    const relogin = await stack.api('POST', '/api/auth/login', { body: { email: a.email, password: a.password } });
    assert.equal(relogin.status, 200, relogin.text);
    a.token = relogin.json.token;
    // B's session is untouched by A's logouts, and B's data is exactly as before.
    assert.equal((await asB('GET', '/api/auth/me')).status, 200);
    assert.deepEqual(await snapshotOfB(), seen.snapshot, 'a request of A changed B\'s data');
    // Upstream too: no agent anywhere was changed (B's agents are gone upstream; A has no key).
    const log = await stack.sim.get('/_sim/requests?path_prefix=/v2/agent');
    assert.deepEqual(log.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`), []);
  });

  test('A\'s event stream carries nothing of B\'s runs', async () => {
    const bRunsBefore = new Set((await asB('GET', '/api/sync/runs?limit=100')).json.items.map((r) => r.id));
    const { status, text } = await readEvents(stack.baseUrl, a.token, 1500, async () => {
      // B's activity while A listens: a dry run (it changes nothing of B's data).
      const dry = await asB('POST', '/api/tenant/sync', { dry_run: true });
      assert.ok(dry.status < 500, dry.text);
    });
    assert.equal(status, 200);
    const newRuns = (await asB('GET', '/api/sync/runs?limit=100')).json.items.filter((r) => !bRunsBefore.has(r.id));
    assert.ok(newRuns.length > 0, 'B ran something while A listened');
    for (const run of newRuns) assert.ok(!new RegExp(`"run_id":\\s*${run.id}\\b`).test(text), `A saw B's run ${run.id}: ${text}`);
    for (const marker of seen.markers) assert.ok(!text.includes(marker), `A's events revealed "${marker}"`);
  });

  test('without a token no tenant route answers', async () => {
    for (const [route, list] of Object.entries(cases())) {
      const c = list[0];
      if (c.open) continue;
      const method = route.split(' ')[0];
      const path = c.events ? '/api/events' : c.path;
      const res = await stack.api(method, path, { body: c.body });
      assert.equal(res.status, 401, `${route}: ${res.text}`);
    }
  });
});
