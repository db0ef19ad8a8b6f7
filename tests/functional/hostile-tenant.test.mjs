// Issue 9: a hostile tenant, or a hostile upstream it points the server at, gets nothing.
// Each finding has its own module under hostile/ (one job each); this file runs them all as one
// CTest test, so the README's test command plays every attacker against the real binaries.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const folder = join(dirname(fileURLToPath(import.meta.url)), 'hostile');
const modules = readdirSync(folder).filter((f) => f.endsWith('.mjs')).sort();
if (modules.length === 0) throw new Error(`no attack modules in ${folder}`);
for (const file of modules) await import(pathToFileURL(join(folder, file)).href);
