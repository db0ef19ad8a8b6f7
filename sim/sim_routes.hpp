#pragma once
// Route tables of the simulated endpoints, on http::Router. Unlike the API's, HEAD is not GET
// here: a simulated upstream answers it like any other method its endpoint does not take.
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>

#include "http/message.hpp"
#include "http/router.hpp"

namespace tenantsync::sim {

template <class Handler>
struct SimRoute {
  std::string method;   ///< "*" for every method
  std::string pattern;  ///< "/_sim/bolna/accounts/{account}"
  Handler handler;
};

template <class Handler>
class SimRoutes {
 public:
  using Match = typename http::Router<SimRoute<Handler>>::Match;

  SimRoutes() = default;
  SimRoutes(std::initializer_list<SimRoute<Handler>> routes) {
    for (const auto& route : routes) router_.add(route);
  }
  void add(SimRoute<Handler> route) { router_.add(std::move(route)); }
  Match match(const http::Request& request) const { return router_.match(request.method, request.path); }

 private:
  http::Router<SimRoute<Handler>> router_{http::HeadRequests::exact};
};

/// What a routed request carries to its handler: the request and its path's {name} values. An
/// area's call type derives from it and adds the records those name.
struct RouteCall {
  const http::Request& request;
  const http::PathParams& params;

  /// The value of a {name} segment of the route's pattern.
  const std::string& param(const char* name) const { return params.at(name); }
  /// The value of a {name} segment, or nullptr when the pattern has none of that name.
  const std::string* find_param(const char* name) const {
    const auto it = params.find(name);
    return it == params.end() ? nullptr : &it->second;
  }
};

}  // namespace tenantsync::sim
