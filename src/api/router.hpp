#pragma once
// The API's route table: method + path pattern ("/api/archive/{resource}/{id}/restore") + who may
// call it. The table is data, so tests enumerate it (the tenant-isolation test covers every route
// and every role); matching is http::Router's.
#include <functional>
#include <optional>
#include <string>

#include "http/message.hpp"
#include "api/audit_trail.hpp"
#include "core/role.hpp"
#include "http/router.hpp"
#include "store/store.hpp"

namespace tenantsync::api {

/// Who may call a route: anyone, the external cron (CRON_SECRET), or a signed-in member (bearer
/// token) whose role is at least the one named. Every route names one; there is deliberately no
/// "any signed-in user", so a route added without thinking about roles does not compile.
enum class Access { open, cron, viewer, member, admin, owner };

/// The least role a signed-in route needs; nullopt for open and cron routes.
constexpr std::optional<core::Role> least_role(Access access) {
  switch (access) {
    case Access::viewer:
      return core::Role::viewer;
    case Access::member:
      return core::Role::member;
    case Access::admin:
      return core::Role::admin;
    case Access::owner:
      return core::Role::owner;
    default:
      return std::nullopt;
  }
}
/// Whether the route needs a bearer token.
constexpr bool signed_in(Access access) { return least_role(access).has_value(); }

struct RequestContext {
  const http::Request& request;
  http::PathParams params;     ///< values of {name} segments
  store::AuthSession session;  ///< set for signed-in routes (viewer and above)
  Auditor auditor;             ///< records as the signed-in member; records nothing on other routes

  const std::string& param(const std::string& name) const { return params.at(name); }
};

/// 403 forbidden_role unless the signed-in member's role is at least `least`. The dispatcher calls
/// it with each route's declared role before the handler runs; a handler calls it only for a
/// check that depends on the body (confirming a held plan through POST /api/tenant/sync).
void require_role(const RequestContext& ctx, core::Role least);

using RouteHandler = std::function<http::Response(RequestContext&)>;

struct Route {
  std::string method;
  std::string pattern;
  Access access;
  RouteHandler handler;
};

/// HEAD is served by a path's GET route.
using Router = http::Router<Route>;

}  // namespace tenantsync::api
