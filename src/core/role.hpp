#pragma once
// A member's role in a tenant. Roles are ordered: each one may do everything the roles below it
// may (viewer < member < admin < owner), so a route names only the least role it needs.
#include <optional>
#include <string_view>

namespace tenantsync::core {

enum class Role {
  viewer,  ///< reads everything, changes nothing
  member,  ///< also starts syncs and adds manual leads
  admin,   ///< also keys, CRM connections, held plans, restores, the team, the audit log
  owner,   ///< also owners, and deleting the tenant
};

/// "viewer", "member", "admin", "owner": the stored and API spelling.
std::string_view to_string(Role role);
/// nullopt for any other text.
std::optional<Role> parse_role(std::string_view text);
/// Whether `held` is `least` or above it.
constexpr bool role_at_least(Role held, Role least) { return static_cast<int>(held) >= static_cast<int>(least); }

}  // namespace tenantsync::core
