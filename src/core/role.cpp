#include "core/role.hpp"

#include <array>
#include <utility>

namespace tenantsync::core {
namespace {

constexpr std::array<std::pair<Role, std::string_view>, 4> kRoles{{
    {Role::viewer, "viewer"},
    {Role::member, "member"},
    {Role::admin, "admin"},
    {Role::owner, "owner"},
}};

}  // namespace

std::string_view to_string(Role role) {
  for (const auto& [r, name] : kRoles)
    if (r == role) return name;
  return "viewer";
}

std::optional<Role> parse_role(std::string_view text) {
  for (const auto& [r, name] : kRoles)
    if (name == text) return r;
  return std::nullopt;
}

}  // namespace tenantsync::core
