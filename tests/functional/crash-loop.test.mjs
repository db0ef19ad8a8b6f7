// Kill loops: each sync scenario (voice first sync, voice incremental, the voice apply transaction,
// a held plan's confirm, CRM first sync, CRM incremental), on SQLite and on PostgreSQL, is killed
// -9 at random moments, at least 10 times, restarted on the same database, and checked: no record
// lost or duplicated, counts equal the upstream's after the next successful run, every run ends
// (none left running), cursors never pass committed data, archives only for records gone upstream.
//
// The kill moments come from a seeded generator; the seed is printed, and
// TENANTSYNC_CRASH_SEED=<seed> replays them (TENANTSYNC_CRASH_KILLS=<n> changes the count).
// The two backends run side by side, each with its own simulator, to keep the file's wall time
// (ASan build included) within its budget.
import { test, before, after } from 'node:test';
import { startSim } from './lib/harness.mjs';
import { crashSeed, scenarioRandom } from './crash/random.mjs';
import { voiceFirstSync, voiceIncremental, voiceApply, heldPlanConfirm } from './crash/voice_scenarios.mjs';
import { crmFirstSync, crmIncremental } from './crash/crm_scenarios.mjs';

const seed = crashSeed();
process.stdout.write(`# crash-loop seed ${seed} (replay: TENANTSYNC_CRASH_SEED=${seed})\n`);

const sims = {};
before(async () => {
  // One simulator per backend: a scenario may slow an endpoint down (a fault), and the scenarios
  // of one backend run one after the other.
  for (const backend of ['sqlite', 'postgres']) sims[backend] = await startSim();
});
after(async () => { for (const sim of Object.values(sims)) await sim.stop(); });

const scenarios = [
  ['voice first sync', voiceFirstSync],
  ['voice incremental sync', voiceIncremental],
  ['voice apply', voiceApply],
  ['held-plan confirm', heldPlanConfirm],
  ['CRM first sync', crmFirstSync],
  ['CRM incremental sync', crmIncremental],
];

function report(label, log, result) {
  const delays = log.map((l) => l.delay_ms).join(',');
  process.stdout.write(`# ${label}: ${log.length} kills (delays ms: ${delays}); ${JSON.stringify(result)}\n`);
}

test('kill -9 at random moments loses, duplicates and strands nothing', { concurrency: true }, async (t) => {
  await Promise.all(['sqlite', 'postgres'].map((backend) => t.test(backend, async (b) => {
    for (const [name, scenario] of scenarios) {
      await b.test(name, async () => {
        const started = Date.now();
        await scenario({ backend, sim: sims[backend], random: scenarioRandom(seed, `${backend} ${name}`), report });
        process.stdout.write(`# ${backend} ${name}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      });
    }
  })));
});
