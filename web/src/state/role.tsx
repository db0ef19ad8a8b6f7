// The signed-in member's role (from GET /api/auth/me), so pages show only the controls the role
// may use. The server decides (403 forbidden_role); this only hides what would be refused.

import { createContext, useContext } from 'react';
import { kLeastRole, type Operation } from '../api/leastRoles';
import type { Role } from '../api/types';

const kRank: Record<Role, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

/// Whether `role` is `least` or above (viewer < member < admin < owner).
export function roleAtLeast(role: Role | null | undefined, least: Role): boolean {
  return role ? kRank[role] >= kRank[least] : false;
}

/// Whether `role` may call `operation` (its least role in the API's contract).
export function canCall(role: Role | null | undefined, operation: Operation): boolean {
  return roleAtLeast(role, kLeastRole[operation]);
}

/// null while GET /api/auth/me has not answered.
export const RoleContext = createContext<Role | null>(null);

export function useRole(): Role | null {
  return useContext(RoleContext);
}

/// Whether to show a control that needs `least`: hidden once the role is known to be below it.
/// While the role is still loading the control shows (the server refuses it anyway), so pages
/// do not jump for the common case of a member who may use it.
export function useCan(least: Role): boolean {
  const role = useRole();
  return role === null || roleAtLeast(role, least);
}

/// useCan for the control that calls `operation`.
export function useCanCall(operation: Operation): boolean {
  return useCan(kLeastRole[operation]);
}
