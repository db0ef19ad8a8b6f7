// The committed API types (src/api/openapi.gen.ts) are what openapi-typescript makes of the API's
// contract today: after a change of src/api/openapi.json, run `npm run gen:api` in web/.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generate, kOutput } from './api-types.mjs';

describe('generated API types', () => {
  it('are current with src/api/openapi.json', async () => {
    const committed = readFileSync(kOutput, 'utf8');
    expect(committed === (await generate()), 'src/api/openapi.gen.ts is stale: run `npm run gen:api` in web/').toBe(true);
  }, 60_000);
});
