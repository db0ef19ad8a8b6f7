import { describe, expect, it } from 'vitest';
import { tenantChoices } from './TenantSwitcher';

describe('tenantChoices', () => {
  it('is nothing with one tenant', () => {
    expect(tenantChoices([])).toBeNull();
    expect(tenantChoices([{ tenant_id: 1, name: 'Acme', role: 'owner', current: true }])).toBeNull();
  });

  it('names each tenant with the role there, in the order given', () => {
    expect(tenantChoices([
      { tenant_id: 1, name: 'Acme', role: 'owner', current: true },
      { tenant_id: 2, name: 'Globex', role: 'member', current: false },
    ])).toEqual([{ value: '1', label: 'Acme · owner' }, { value: '2', label: 'Globex · member' }]);
  });
});
