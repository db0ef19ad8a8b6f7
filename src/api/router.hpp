#pragma once
// The API's route table: method + path pattern ("/api/archive/{resource}/{id}/restore") + who may
// call it. The table is data, so tests enumerate it (the tenant-isolation test covers every route);
// matching is http::Router's.
#include <functional>
#include <string>

#include "http/message.hpp"
#include "http/router.hpp"
#include "store/store.hpp"

namespace tenantsync::api {

/// Who may call a route: anyone, a signed-in user (bearer token), or the external cron (CRON_SECRET).
enum class Access { open, user, cron };

struct RequestContext {
  const http::Request& request;
  http::PathParams params;     ///< values of {name} segments
  store::AuthSession session;  ///< set for Access::user routes

  const std::string& param(const std::string& name) const { return params.at(name); }
};

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
