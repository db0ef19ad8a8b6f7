// The least role of each API operation a page offers a control for, by operationId, as the API's
// contract states it (`x-least-role` in src/api/openapi.json; leastRoles.test.ts keeps the two
// equal). Pages hide what the role would be refused, so a control names the operation it calls
// instead of guessing a role.

import type { operations } from './openapi.gen';
import type { Role } from './types';

export const kLeastRole = {
  // Pages only admins may read.
  listAudit: 'admin',
  listWebhooks: 'admin',
  // Syncs and manual leads: members.
  syncNow: 'member',
  crmSync: 'member',
  createLead: 'member',
  // Settings, the CRM connection, held plans and the archive: admins.
  putSettings: 'admin',
  rotateHookToken: 'admin',
  setAgentsCallWebhook: 'admin',
  crmConnect: 'admin',
  crmDisconnect: 'admin',
  confirmRun: 'admin',
  cancelRun: 'admin',
  restore: 'admin',
  // The team.
  invite: 'admin',
  listInvitations: 'admin',
  revokeInvitation: 'admin',
  changeMemberRole: 'admin',
  removeMember: 'admin',
  deleteTenant: 'owner',
  // Every role: the exports.
  exportLeads: 'viewer',
  exportCalls: 'viewer',
} as const satisfies Partial<Record<keyof operations, Role>>;

export type Operation = keyof typeof kLeastRole;
