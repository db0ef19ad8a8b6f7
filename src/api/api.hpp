#pragma once
// The HTTP API: routing, authentication, and the JSON error boundary around every handler.
#include "api/long_work.hpp"
#include "api/router.hpp"
#include "api/services.hpp"
#include "api/tenant_slots.hpp"
#include "http/message.hpp"

namespace tenantsync::api {

class Api {
 public:
  explicit Api(Services services);

  /// Answers one request (the http::Server's handler).
  http::Response handle(const http::Request& request) const;
  /// Every route, for tests and the OpenAPI document.
  const Router& router() const { return router_; }
  /// Adds routes owned by other modules (the sync engine's), before serving starts.
  Router& router() { return router_; }
  Services& services() { return services_; }
  /// Finishes or drops the long work in progress (waits, checks); call before the server goes.
  void stop() { long_work_.stop(); }

 private:
  http::Response dispatch(const http::Request& request) const;
  void authorize_cron(const http::Request& request) const;

  Services services_;
  LongWork long_work_;
  TenantSlots event_streams_;
  Router router_;
};

/// The bearer token of a request, or empty.
using http::bearer_token;

}  // namespace tenantsync::api
