// Reads a test server's database directly (the server may be dead: that is when the kill loops
// look), with the sqlite3 command-line shell or psql, as JSON rows.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

function postgresBin(name) {
  const bindir = readdirSync('/usr/lib/postgresql').sort().map((v) => `/usr/lib/postgresql/${v}/bin`).pop();
  return `${bindir}/${name}`;
}

/** Rows of one SELECT on a database URL as the server takes it (sqlite:PATH or postgresql://…). */
export function queryRows(databaseUrl, select) {
  if (databaseUrl.startsWith('sqlite:')) {
    const path = databaseUrl.slice('sqlite:'.length);
    // -bail and a busy timeout: a crashed writer's WAL is recovered by the first reader.
    const out = execFileSync('sqlite3', ['-bail', '-cmd', '.timeout 5000', '-json', path, select], { encoding: 'utf8' });
    return out.trim() ? JSON.parse(out) : [];
  }
  const out = execFileSync(postgresBin('psql'), [
    databaseUrl, '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1',
    '-c', `SELECT COALESCE(json_agg(t), '[]'::json) FROM (${select}) t`,
  ], { encoding: 'utf8' });
  return JSON.parse(out.trim());
}

/** Runs statements on PostgreSQL as the fixture's superuser (e.g. pg_terminate_backend). */
export function postgresExec(databaseUrl, sql) {
  return execFileSync(postgresBin('psql'), [databaseUrl, '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', sql],
    { encoding: 'utf8' }).trim();
}
