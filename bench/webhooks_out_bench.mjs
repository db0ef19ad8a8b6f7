#!/usr/bin/env node
// Latency of signed webhooks out, against the real binary (tenantsync on SQLite) and a receiver
// in this process on loopback: change committed → outbound webhook delivered, over 1,000 changes
// (manual leads, created by 4 clients at once). "Committed" is the change's occurred_at (the
// server's clock when it wrote the row, in the committing transaction, on this machine);
// "delivered" is when the receiver has the whole request. Every signature is verified.
// Prints one JSON line per figure; asserts nothing about speed.
// Usage: node bench/webhooks_out_bench.mjs [--scale 0.01] [--backend sqlite|postgres]
// Binary: TENANTSYNC_BIN (default build/release/tenantsync).
import { createServer } from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

process.env.TENANTSYNC_BIN ??= 'build/release/tenantsync';
const { startServer, signup } = await import('../tests/functional/lib/harness.mjs');

const args = new Map();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const scale = Number(args.get('scale') ?? 1);
const backend = args.get('backend') ?? 'sqlite';
const total = Math.max(1, Math.round(1000 * scale));
const clients = 4;

function verify(secret, header, body) {
  const parts = Object.fromEntries(String(header ?? '').split(',').map((p) => p.split('=')));
  if (!/^\d+$/.test(parts.t ?? '') || !/^[0-9a-f]{64}$/.test(parts.v1 ?? '')) return false;
  const expected = createHmac('sha256', secret).update(`${parts.t}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(parts.v1, 'hex'));
}

const received = [];
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (d) => { body += d; });
  req.on('end', () => {
    received.push({ at: Date.now(), signature: req.headers['x-tenantsync-signature'], body });
    res.writeHead(204).end();
  });
});
await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));

const server = await startServer({ backend, env: { TENANTSYNC_VOICE_SCHEDULE: 'off', TENANTSYNC_CRM_SCHEDULE: 'off' } });
try {
  const t = await signup(server, 'Bench');
  const hook = await server.api('POST', '/api/webhooks', {
    token: t.token, body: { url: `http://127.0.0.1:${receiver.address().port}/hook`, events: ['lead.created'] },
  });
  if (hook.status !== 201) throw new Error(`webhook: ${hook.status} ${hook.text}`);

  let next = 0;
  const started = Date.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    while (next < total) {
      const i = next++;
      const res = await server.api('POST', '/api/leads', { token: t.token, body: { name: `L${i}`, email: `l${i}@bench.example` } });
      if (res.status !== 201) throw new Error(`lead: ${res.status} ${res.text}`);
    }
  }));
  const createdMs = Date.now() - started;
  for (const deadline = Date.now() + 120_000; received.length < total && Date.now() < deadline;) await sleep(20);

  const latencies = [];
  let bad = 0;
  const seqs = [];
  for (const r of received) {
    if (!verify(hook.json.secret, r.signature, r.body)) ++bad;
    const json = JSON.parse(r.body);
    seqs.push(json.seq);
    latencies.push(r.at - Date.parse(json.occurred_at));
  }
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)];
  const inOrder = seqs.every((s, i) => i === 0 || s > seqs[i - 1]);
  const line = (figure, value, unit, target = null) => console.log(JSON.stringify({ figure, value, unit, target, bound: null }));
  line('webhooks_out_changes', total, 'changes');
  line('webhooks_out_delivered', received.length, 'deliveries', `>=${total}`);
  line('webhooks_out_bad_signatures', bad, 'deliveries', '<=0');
  line('webhooks_out_in_order', inOrder ? 1 : 0, 'bool', '>=1');
  line('webhooks_out_latency_p50', pct(50), 'ms');
  line('webhooks_out_latency_p95', pct(95), 'ms', '<=1000');
  line('webhooks_out_latency_max', latencies.at(-1), 'ms');
  line('webhooks_out_changes_per_s', Math.round((total / createdMs) * 1000), 'changes/s');
} finally {
  await server.stop();
  receiver.closeAllConnections();
  receiver.close();
}
