// The dashboard's API types, generated from the API's contract (src/api/openapi.json) with
// openapi-typescript into src/api/openapi.gen.ts, which is committed. `node scripts/api-types.mjs`
// (npm run gen:api) writes it; src/api/openapi.test.ts fails when it is not what this makes.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const here = path.dirname(fileURLToPath(import.meta.url));
export const kDocument = path.resolve(here, '../../src/api/openapi.json');
export const kOutput = path.resolve(here, '../src/api/openapi.gen.ts');

const kHeader = '// Generated from src/api/openapi.json by web/scripts/api-types.mjs (npm run gen:api); do not edit.\n' +
  '/* eslint-disable */\n';

export async function generate() {
  const document = JSON.parse(readFileSync(kDocument, 'utf8'));
  const ast = await openapiTS(document, { alphabetize: true });
  return kHeader + astToString(ast);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(kOutput, await generate());
  console.log(`wrote ${path.relative(process.cwd(), kOutput)}`);
}
