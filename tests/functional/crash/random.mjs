// A seeded pseudo-random source for the kill loops, so a failure can be replayed exactly:
// TENANTSYNC_CRASH_SEED=<the printed seed> runs the same kills at the same moments again
// (as far as the machine's timing allows).

/** mulberry32: small, fast and good enough to spread kill moments. Returns () => [0, 1). */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The run's seed: TENANTSYNC_CRASH_SEED when set, else a fresh one. */
export function crashSeed() {
  const given = process.env.TENANTSYNC_CRASH_SEED;
  if (given !== undefined && given !== '') {
    const n = Number(given);
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`TENANTSYNC_CRASH_SEED must be a whole number, got "${given}"`);
    return n >>> 0;
  }
  return Math.floor(Math.random() * 2 ** 32) >>> 0;
}

/**
 * One random stream per scenario, derived from the run's seed and the scenario's name, so that
 * scenarios running side by side do not shift each other's draws.
 */
export function scenarioRandom(seed, name) {
  let h = seed >>> 0;
  for (const ch of name) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  const next = mulberry32(h);
  return {
    /** A whole number in [min, max]. */
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    /** true with probability p. */
    chance: (p) => next() < p,
  };
}
