#pragma once
// The route table: method + path pattern ("/api/archive/{resource}/{id}/restore") + who may
// call it. The table is data, so tests enumerate it (the tenant-isolation test covers every route).
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "http/message.hpp"
#include "store/store.hpp"

namespace tenantsync::api {

/// Who may call a route: anyone, a signed-in user (bearer token), or the external cron (CRON_SECRET).
enum class Access { open, user, cron };

struct RequestContext {
  const http::Request& request;
  std::map<std::string, std::string> params;  ///< values of {name} segments
  store::AuthSession session;                 ///< set for Access::user routes

  const std::string& param(const std::string& name) const { return params.at(name); }
};

using RouteHandler = std::function<http::Response(RequestContext&)>;

struct Route {
  std::string method;
  std::string pattern;
  Access access;
  RouteHandler handler;
};

class Router {
 public:
  void add(Route route);

  enum class Outcome { found, not_found, method_not_allowed };
  struct Match {
    Outcome outcome = Outcome::not_found;
    const Route* route = nullptr;
    std::map<std::string, std::string> params;
    std::vector<std::string> allowed_methods;  ///< for 405's Allow header
  };
  Match match(const std::string& method, const std::string& path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

/// Splits "/a/b/" into {"a", "b"}.
std::vector<std::string> split_path(const std::string& path);

}  // namespace tenantsync::api
