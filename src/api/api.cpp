#include "api/api.hpp"

#include <spdlog/spdlog.h>

#include "api/json.hpp"
#include "api/routes.hpp"
#include "api/security_headers.hpp"
#include "api/static_files.hpp"
#include "core/log_text.hpp"

namespace tenantsync::api {
namespace {

// The answer to an ApiError. A 500's text is about the server (a database message, the SQL it
// ran), never for the client: it goes to the log, and the client gets a sentence with the
// request id the operator can find it by.
http::Response error_answer(const http::Request& request, const ApiError& e) {
  if (e.status() != 500) return error_response(e.status(), e.code(), e.what());
  spdlog::error("event=internal_error request_id={} code={} message={}", request.request_id,
                core::to_string(e.code()), core::log_value(e.what()));
  return error_response(
      500, e.code(),
      "The server failed to handle the request; it is logged as request " + request.request_id + ".");
}

}  // namespace

void require_role(const RequestContext& ctx, core::Role least) {
  if (core::role_at_least(ctx.session.role, least)) return;
  throw ApiError(403, core::ErrorCode::forbidden_role,
                 "This needs the role " + std::string(core::to_string(least)) + " or above; yours is " +
                     std::string(core::to_string(ctx.session.role)) + ".");
}

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
    auto res = error_answer(request, e);
    res.route_label = "(error)";
    return res;
  }
}

http::Response Api::dispatch(const http::Request& request) const {
  auto match = router_.match(request.method, request.path);
  if (match.outcome == Router::Outcome::not_found) {
    if (!request.path.starts_with("/api/") && (request.method == "GET" || request.method == "HEAD")) {
      auto res = serve_static(services_.options.web_root, request.path);
      for (auto& header : dashboard_headers(services_.options.dashboard_frame_origins))
        res.headers.push_back(header);
      res.route_label = "(static)";
      return res;
    }
    auto res = error_response(404, core::ErrorCode::not_found,
                              "No such endpoint: " + request.method + " " + request.path + ".");
    res.route_label = "(unmatched)";
    return res;
  }
  if (match.outcome == Router::Outcome::method_not_allowed) {
    std::string allow;
    for (const auto& m : match.allowed_methods) allow += (allow.empty() ? "" : ", ") + m;
    auto res = error_response(405, core::ErrorCode::method_not_allowed,
                              request.method + " is not allowed on " + request.path + "; use " + allow + ".");
    res.headers.emplace_back("Allow", allow);
    res.route_label = "(unmatched)";
    return res;
  }
  const Route& route = *match.route;
  RequestContext context{request, std::move(match.params), {}, {}};
  http::Response res;
  try {
    if (signed_in(route.access)) {
      context.session = authenticate(services_, request);
      // Where roles are enforced: before the handler, so a refused request has no effect.
      require_role(context, *least_role(route.access));
      context.auditor = Auditor(&services_.stores.audit, &services_.clock, context.session.tenant_id,
                                context.session.user_id, context.session.email,
                                http::client_address(request, services_.options.trusted_proxies));
    }
    if (route.access == Access::cron) authorize_cron(request);
    res = route.handler(context);
  } catch (const ApiError& e) {
    // Caught here rather than in handle() so the error is labelled with its route in metrics.
    res = error_answer(request, e);
  }
  res.route_label = route.pattern;
  return res;
}

store::AuthSession authenticate(const Services& s, const http::Request& request) {
  const auto token = bearer_token(request);
  if (token.empty()) {
    throw ApiError(401, core::ErrorCode::unauthorized,
                   "Sign in first: this request needs an Authorization: Bearer <token> header.");
  }
  auto session = s.stores.accounts.find_session(crypto::hash_token(token), s.clock.now());
  if (!session.ok()) throw_error(session.error());
  if (!session->has_value())
    throw ApiError(401, core::ErrorCode::unauthorized, "The token is invalid or has expired; sign in again.");
  return **session;
}

void Api::authorize_cron(const http::Request& request) const {
  const auto& secret = services_.options.cron_secret;
  if (secret.empty()) {
    throw ApiError(503, core::ErrorCode::cron_disabled,
                   "The cron endpoint is disabled: set CRON_SECRET to enable it.");
  }
  if (!crypto::constant_time_equal(bearer_token(request), secret)) {
    throw ApiError(401, core::ErrorCode::unauthorized, "The cron secret is missing or wrong.");
  }
}

}  // namespace tenantsync::api
