import { describe, expect, it } from 'vitest';
import { canCall, roleAtLeast } from './role';

describe('roleAtLeast', () => {
  it('orders viewer < member < admin < owner', () => {
    expect(roleAtLeast('owner', 'admin')).toBe(true);
    expect(roleAtLeast('admin', 'admin')).toBe(true);
    expect(roleAtLeast('member', 'admin')).toBe(false);
    expect(roleAtLeast('viewer', 'member')).toBe(false);
  });

  it('grants nothing to an unknown role', () => {
    expect(roleAtLeast(null, 'viewer')).toBe(false);
    expect(roleAtLeast(undefined, 'viewer')).toBe(false);
  });
});

describe('canCall', () => {
  it('lets a viewer export but not sync, add leads or change settings', () => {
    expect(canCall('viewer', 'exportLeads')).toBe(true);
    expect(canCall('viewer', 'syncNow')).toBe(false);
    expect(canCall('viewer', 'crmSync')).toBe(false);
    expect(canCall('viewer', 'createLead')).toBe(false);
    expect(canCall('viewer', 'putSettings')).toBe(false);
  });

  it('lets a member sync and add leads, but not touch the key, the CRM connection, held plans or the archive', () => {
    for (const op of ['syncNow', 'crmSync', 'createLead'] as const) expect(canCall('member', op), op).toBe(true);
    for (const op of ['putSettings', 'rotateHookToken', 'crmConnect', 'confirmRun', 'cancelRun', 'restore', 'listWebhooks'] as const) {
      expect(canCall('member', op), op).toBe(false);
    }
  });

  it('lets an admin do all but delete the tenant, which is the owner\'s', () => {
    expect(canCall('admin', 'putSettings')).toBe(true);
    expect(canCall('admin', 'restore')).toBe(true);
    expect(canCall('admin', 'deleteTenant')).toBe(false);
    expect(canCall('owner', 'deleteTenant')).toBe(true);
  });
});
