// The demo's leads that match calls: for the first completed calls of the demo tenant, a manual
// lead "Demo caller N" whose phone is the called number written the way a person types it, so
// the Leads page opens on leads with calls. Run by scripts/demo.sh after the first sync;
// skipped when they exist. Usage: node scripts/demo-leads.mjs API_URL TOKEN
const [api, token] = process.argv.slice(2);
const call = async (method, path, body) => {
  const res = await fetch(api + path, {
    method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, json: await res.json().catch(() => null) };
};
if ((await call('GET', '/leads?q=Demo%20caller')).json?.items?.length) process.exit(0);
let calls = [];
for (let i = 0; i < 50 && !calls.length; ++i) {
  calls = (await call('GET', '/executions?status=completed&limit=20')).json?.items ?? [];
  if (!calls.length) await new Promise((r) => setTimeout(r, 200));
}
let made = 0;
for (const c of calls) {
  const e164 = c.direction === 'inbound' ? c.from_e164 : c.to_e164;
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164 ?? '');
  if (!m) continue;
  const lead = await call('POST', '/leads', { name: `Demo caller ${made + 1}`, phone: `(${m[1]}) ${m[2]}-${m[3]}` });
  if (lead.status !== 201) continue;
  // Only numbers the phone library accepts become a lead's E.164 number and match calls.
  if (!(await call('GET', `/leads/${lead.json.id}/calls`)).json?.items?.length) continue;
  if (++made === 3) break;
}
console.log(`Demo tenant: ${made} leads whose numbers the demo account called ("Demo caller N").`);
