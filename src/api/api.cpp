#include "api/api.hpp"

#include <spdlog/spdlog.h>

#include "api/json.hpp"
#include "api/routes.hpp"
#include "api/static_files.hpp"

namespace tenantsync::api {

Api::Api(Services services)
    : services_(std::move(services)),
      long_work_(services_.options.long_work),
      event_streams_(services_.options.tenant_max_event_streams) {
  add_core_routes(router_, services_, long_work_, event_streams_);
}

http::Response Api::handle(const http::Request& request) const {
  try {
    return dispatch(request);
  } catch (const ApiError& e) {
    auto res = error_response(e.status(), e.code(), e.what());
    if (res.route_label.empty()) res.route_label = "(error)";
    return res;
  }
}

http::Response Api::dispatch(const http::Request& request) const {
  auto match = router_.match(request.method, request.path);
  if (match.outcome == Router::Outcome::not_found) {
    if (!request.path.starts_with("/api/") && (request.method == "GET" || request.method == "HEAD")) {
      auto res = serve_static(services_.options.web_root, request.path);
      res.route_label = "(static)";
      return res;
    }
    auto res =
        error_response(404, "not_found", "No such endpoint: " + request.method + " " + request.path + ".");
    res.route_label = "(unmatched)";
    return res;
  }
  if (match.outcome == Router::Outcome::method_not_allowed) {
    std::string allow;
    for (const auto& m : match.allowed_methods) allow += (allow.empty() ? "" : ", ") + m;
    auto res = error_response(405, "method_not_allowed",
                              request.method + " is not allowed on " + request.path + "; use " + allow + ".");
    res.headers.emplace_back("Allow", allow);
    res.route_label = "(unmatched)";
    return res;
  }
  const Route& route = *match.route;
  RequestContext context{request, std::move(match.params), {}};
  http::Response res;
  try {
    if (route.access == Access::user) context.session = authenticate(request);
    if (route.access == Access::cron) authorize_cron(request);
    res = route.handler(context);
  } catch (const ApiError& e) {
    // Caught here rather than in handle() so the error is labelled with its route in metrics.
    res = error_response(e.status(), e.code(), e.what());
  }
  res.route_label = route.pattern;
  return res;
}

store::AuthSession Api::authenticate(const http::Request& request) const {
  const auto token = bearer_token(request);
  if (token.empty()) {
    throw ApiError(401, "unauthorized",
                   "Sign in first: this request needs an Authorization: Bearer <token> header.");
  }
  auto session =
      services_.stores.accounts.find_session(crypto::hash_token(token), services_.clock.now());
  if (!session.ok()) throw_error(session.error());
  if (!session->has_value())
    throw ApiError(401, "unauthorized", "The token is invalid or has expired; sign in again.");
  return **session;
}

void Api::authorize_cron(const http::Request& request) const {
  const auto& secret = services_.options.cron_secret;
  if (secret.empty()) {
    throw ApiError(503, "cron_disabled", "The cron endpoint is disabled: set CRON_SECRET to enable it.");
  }
  if (!crypto::constant_time_equal(bearer_token(request), secret)) {
    throw ApiError(401, "unauthorized", "The cron secret is missing or wrong.");
  }
}

}  // namespace tenantsync::api
