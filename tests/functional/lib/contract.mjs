// The API's contract (src/api/openapi.json, OpenAPI 3.1) as a check of real answers: every JSON
// answer a functional test receives from tenantsync must fit the schema the document gives for
// its route, method and status (or `default`). Answers on paths no route serves must be the error
// shape. Ajv (JSON Schema 2020-12, OpenAPI 3.1's dialect) is installed in tests/openapi by
// scripts/npm-ci.sh (scripts/test.sh does it).

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const kDocumentId = 'tenantsync-openapi';

let loaded = null;

function load() {
  if (loaded) return loaded;
  let requireAjv;
  try {
    requireAjv = createRequire(path.join(root, 'tests/openapi/package.json'));
    requireAjv.resolve('ajv/dist/2020');
  } catch {
    throw new Error('tests/openapi has no node_modules: run scripts/npm-ci.sh tests/openapi');
  }
  const Ajv2020 = requireAjv('ajv/dist/2020').default;
  const addFormats = requireAjv('ajv-formats').default;
  const document = JSON.parse(readFileSync(path.join(root, 'src/api/openapi.json'), 'utf8'));
  // strict: false because the document is OpenAPI around the schemas (its `paths`, `info`…).
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ ...document, $id: kDocumentId });
  const routes = Object.keys(document.paths).map((pattern) => ({
    pattern,
    segments: pattern.split('/').filter(Boolean),
  }));
  loaded = { ajv, document, routes, validators: new Map() };
  // Every answer's schema is compiled now, at import, so no request a test times pays for it.
  for (const [pattern, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      for (const status of Object.keys(operation.responses ?? {})) {
        const found = schemaPointer(loaded, pattern, method, status);
        if (found.parts) validator(loaded, found.parts);
      }
    }
  }
  validator(loaded, ['components', 'schemas', 'Error']);
  return loaded;
}

// The most specific pattern that fits the path: at the first segment where two fitting patterns
// differ in kind, the literal one wins (as http::Router does).
function findRoute(routes, pathname) {
  const segments = pathname.split('/').filter(Boolean);
  let best = null;
  for (const route of routes) {
    if (route.segments.length !== segments.length) continue;
    if (!route.segments.every((s, i) => s.startsWith('{') || s === segments[i])) continue;
    if (!best || moreSpecific(route, best)) best = route;
  }
  return best;
}

function moreSpecific(a, b) {
  for (let i = 0; i < a.segments.length; ++i) {
    const aParam = a.segments[i].startsWith('{');
    const bParam = b.segments[i].startsWith('{');
    if (aParam !== bParam) return !aParam;
  }
  return false;
}

const pointer = (parts) => '#/' + parts.map((p) => String(p).replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

function validator(contract, parts) {
  const ref = kDocumentId + pointer(parts);
  let validate = contract.validators.get(ref);
  if (!validate) {
    validate = contract.ajv.compile({ $ref: ref });
    contract.validators.set(ref, validate);
  }
  return validate;
}

function schemaPointer(contract, pattern, method, status) {
  const operation = contract.document.paths[pattern]?.[method];
  if (!operation) return { error: `${method.toUpperCase()} ${pattern} is not in src/api/openapi.json` };
  const key = operation.responses[String(status)] ? String(status) : 'default';
  let answer = operation.responses[key];
  if (!answer) return { error: `${method.toUpperCase()} ${pattern} documents no ${status} answer (and no default)` };
  let parts = ['paths', pattern, method, 'responses', key];
  if (answer.$ref) {
    parts = answer.$ref.slice(2).split('/');
    answer = contract.document.components.responses[parts[2]];
  }
  if (!answer.content?.['application/json']) {
    return { error: `${method.toUpperCase()} ${pattern} ${status}: the document says no JSON body` };
  }
  return { parts: [...parts, 'content', 'application/json', 'schema'] };
}

/**
 * Checks one answer of tenantsync against the contract; throws an Error naming the route and the
 * mismatch. Only JSON answers are checked (the dashboard's files, metrics and event streams are not).
 */
export function checkAnswer(method, target, status, contentType, json) {
  if (!/^application\/json/i.test(contentType ?? '')) return;
  const contract = load();
  const pathname = new URL(target, 'http://x').pathname;
  const verb = method.toLowerCase() === 'head' ? 'get' : method.toLowerCase();
  const route = findRoute(contract.routes, pathname);
  const operation = route && contract.document.paths[route.pattern][verb];
  let parts;
  if (!operation) {
    // A path or method no route serves: the answer is an error (404, 405).
    if (status < 400) throw new Error(`contract: ${method} ${pathname} answered ${status} but is not in src/api/openapi.json`);
    parts = ['components', 'schemas', 'Error'];
  } else {
    const found = schemaPointer(contract, route.pattern, verb, status);
    if (found.error) throw new Error(`contract: ${found.error}`);
    parts = found.parts;
  }
  const validate = validator(contract, parts);
  if (!validate(json)) {
    const where = operation ? `${verb.toUpperCase()} ${route.pattern}` : `${method} ${pathname}`;
    const errors = validate.errors.slice(0, 5).map((e) => `${e.instancePath || '(body)'} ${e.message}`).join('; ');
    throw new Error(`contract: ${where} ${status} does not fit src/api/openapi.json: ${errors}\n` +
      `body: ${JSON.stringify(json).slice(0, 600)}`);
  }
}

// Loaded and compiled when the harness is imported, before any test starts its clock.
load();
