#!/usr/bin/env node
// Runs every benchmark script several times and prints ONE table of their figures: min, median
// and max over the runs, the target and whether the median meets it, with the machine's core
// count and its load average when each run started. A benchmark script prints one JSON line per
// figure on stdout, {"figure","value","unit","target","bound"} (docs/benchmarks.md, "Figures");
// every other line it prints goes to its log. With --write-docs the table replaces the figures
// section of docs/benchmarks.md (between its begin and end markers): no hand-copied figures.
// Usage: node bench/table.mjs [--scale 1] [--runs 3] [--only sync,crm-budget,...] [--write-docs]
//                             [--log-dir DIR]
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = new Map();
const flags = new Set();
for (let i = 2; i < process.argv.length; ++i) {
  const a = process.argv[i].replace(/^--/, '');
  if (a === 'write-docs') flags.add(a);
  else args.set(a, process.argv[++i]);
}
const scale = Number(args.get('scale') ?? 1);
const runs = Number(args.get('runs') ?? 3);
const only = args.has('only') ? new Set(args.get('only').split(',')) : null;
const logDir = args.get('log-dir') ?? '/tmp';

// Each benchmark: a name and the command that prints its figures. Scripts that need a server
// PostgreSQL start their own (tests/support/postgres.sh).
const benchmarks = [
  { name: 'sync', argv: ['bench/sync_bench.mjs'] },
  { name: 'sync-postgresql', argv: ['bench/sync_bench.mjs', '--only', 'crm', '--backend', 'postgresql'] },
  { name: 'crm-budget', argv: ['bench/crm_budget_bench.mjs'] },
  { name: 'voice-memory', argv: ['bench/voice_memory_bench.mjs'] },
  { name: 'api-load', argv: ['bench/api_load_bench.mjs'] },
  { name: 'hooks-latency', argv: ['bench/hooks_latency_bench.mjs'] },
  { name: 'webhooks-out', argv: ['bench/webhooks_out_bench.mjs'] },
].filter((b) => !only || only.has(b.name));

/** Runs one script; resolves with its figures and the load at its start. */
function runOnce(bench, run) {
  return new Promise((resolve) => {
    const load = loadavg()[0];
    const logFile = join(logDir, `tenantsync-bench-${bench.name}-${run}.log`);
    const child = spawn(process.execPath, [...bench.argv, '--scale', String(scale)], {
      cwd: root, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('close', (code) => {
      const figures = [];
      const log = [];
      for (const line of out.split('\n')) {
        if (line.startsWith('{"figure"')) {
          try { figures.push(JSON.parse(line)); continue; } catch { /* a log line after all */ }
        }
        log.push(line);
      }
      writeFileSync(logFile, log.join('\n'));
      resolve({ figures, load, code, logFile });
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (x) => {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  const a = Math.abs(x);
  if (a >= 1000) return Math.round(x).toLocaleString('en-US');
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  return x.toFixed(a >= 1 || a === 0 ? 2 : 3);
};
/** ">=N" / "<=N": whether `value` meets it (null without a target). */
function meets(target, value) {
  if (!target || value === null || value === undefined) return null;
  const m = /^(>=|<=)\s*(-?[\d.]+)$/.exec(target);
  if (!m) return null;
  return m[1] === '>=' ? value >= Number(m[2]) : value <= Number(m[2]);
}

mkdirSync(logDir, { recursive: true });
const cores = cpus().length;
const started = new Date();
const byFigure = new Map();  // figure → {unit, target, bound, bench, values[], loads[]}
const failures = [];
for (let run = 1; run <= runs; ++run) {
  for (const bench of benchmarks) {
    process.stderr.write(`run ${run}/${runs}: ${bench.name} (scale ${scale}) … `);
    const t0 = Date.now();
    const result = await runOnce(bench, run);
    process.stderr.write(`${((Date.now() - t0) / 1000).toFixed(1)} s, ${result.figures.length} figures, ` +
      `exit ${result.code}, log ${result.logFile}\n`);
    if (result.code !== 0) failures.push(`${bench.name} run ${run} exited ${result.code} (log ${result.logFile})`);
    for (const f of result.figures) {
      if (!byFigure.has(f.figure)) byFigure.set(f.figure, { ...f, bench: bench.name, values: [], loads: [] });
      const entry = byFigure.get(f.figure);
      if (typeof f.value === 'number' && Number.isFinite(f.value)) entry.values.push(f.value);
      entry.loads.push(result.load);
    }
  }
}

const lines = [];
lines.push(`${cores} cores; ${runs} run(s) at scale ${scale}; started ${started.toISOString()}; ` +
  `load average (1 min) at the start of each run: ${[...new Set([...byFigure.values()].flatMap((e) => e.loads))]
    .map((l) => l.toFixed(1)).join(', ') || '–'}`);
lines.push('');
lines.push('| benchmark | figure | unit | target | min | median | max | met (median) | bound by | cores | load at start |');
lines.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const e of byFigure.values()) {
  const v = e.values;
  const med = v.length ? median(v) : null;
  const met = meets(e.target, med);
  const loads = e.loads.map((l) => l.toFixed(1)).join(' / ');
  lines.push(`| ${e.bench} | ${e.figure} | ${e.unit} | ${e.target ?? ''} | ${fmt(v.length ? Math.min(...v) : null)} | ` +
    `${fmt(med)} | ${fmt(v.length ? Math.max(...v) : null)} | ${met === null ? '' : met ? 'yes' : '**no**'} | ` +
    `${e.bound ?? ''} | ${cores} | ${loads} |`);
}
for (const f of failures) lines.push(`\nFAILED: ${f}`);
const table = lines.join('\n');
console.log(table);

if (flags.has('write-docs')) {
  const docPath = join(root, 'docs/benchmarks.md');
  // The whole table has its section; a run of some benchmarks (--only a,b) writes the section
  // named after them, so the others' figures stay as they were measured.
  const name = only ? `figures[${[...only].join(',')}]` : 'figures';
  const begin = `<!-- ${name}:begin (bench/run.sh --write-docs writes this section; do not edit by hand) -->`;
  const end = `<!-- ${name}:end -->`;
  const doc = readFileSync(docPath, 'utf8');
  const i = doc.indexOf(begin);
  const j = doc.indexOf(end);
  if (i < 0 || j < i) {
    console.error(`docs/benchmarks.md has no ${name} markers; not written`);
    process.exitCode = 1;
  } else {
    const command = `bench/run.sh --scale ${scale} --runs ${runs}${only ? ` --only ${[...only].join(',')}` : ''}`;
    const section = `${begin}\n\n\`${command}\`: ${table}\n\n`;
    writeFileSync(docPath, doc.slice(0, i) + section + doc.slice(j));
    console.error(`wrote the figures section of ${docPath}`);
  }
}
if (failures.length) process.exitCode = 1;
