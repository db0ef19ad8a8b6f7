// The table of least roles is the contract's: a route whose least role changes in
// src/api/openapi.json fails here until the table follows.
import { describe, expect, it } from 'vitest';
import contract from '../../../src/api/openapi.json?raw';
import { kLeastRole } from './leastRoles';

type Operations = Record<string, { operationId?: string; 'x-least-role'?: string }>;

function contractLeastRoles(): Map<string, string | undefined> {
  const paths = (JSON.parse(contract) as { paths: Record<string, Operations> }).paths;
  const roles = new Map<string, string | undefined>();
  for (const operations of Object.values(paths)) {
    for (const op of Object.values(operations)) {
      if (op && typeof op === 'object' && op.operationId) roles.set(op.operationId, op['x-least-role']);
    }
  }
  return roles;
}

describe('kLeastRole', () => {
  it('is the x-least-role of each operation in the contract', () => {
    const roles = contractLeastRoles();
    for (const [operation, role] of Object.entries(kLeastRole)) {
      expect(roles.get(operation), operation).toBe(role);
    }
  });
});
