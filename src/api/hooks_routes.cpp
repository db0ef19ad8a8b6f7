// Webhooks in: POST /hooks/bolna/{token} (the token in the URL is the credential, so the route is
// open) and POST /hooks/hubspot (HubSpot's v3 signature is the credential); the tenant's own
// call-webhook URL and its rotation. The checks and writes are service::HookService's.
#include <spdlog/spdlog.h>

#include "api/json.hpp"
#include "api/metrics.hpp"
#include "api/routes.hpp"
#include "service/hook_service.hpp"

namespace tenantsync::api {

void add_hooks_routes(Router& router, service::HookService& hooks, Metrics& metrics) {
  metrics.add_collector([&hooks] { return hooks.counters().render(); });

  router.add({"POST", "/hooks/bolna/{token}", Access::open, [&hooks](RequestContext& ctx) {
                auto receipt = hooks.receive_bolna(ctx.param("token"), ctx.request.body);
                if (!receipt.ok()) throw_error(receipt.error());
                return json_response(200, {{"execution_id", receipt->execution_id}, {"outcome", receipt->outcome}});
              }});

  // Answers as soon as the events are queued (HubSpot wants a 2xx within 5 s); the worker of
  // sync/hubspot_events applies them.
  router.add({"POST", "/hooks/hubspot", Access::open, [&hooks](RequestContext& ctx) {
                const http::Request& r = ctx.request;
                auto receipt = hooks.receive_hubspot({r.method, r.target, r.body,
                                                      std::string(r.header("x-hubspot-signature-v3")),
                                                      std::string(r.header("x-hubspot-request-timestamp")),
                                                      std::string(r.header("host"))});
                if (!receipt.ok()) throw_error(receipt.error());
                return json_response(200, {{"queued", receipt->queued},
                                           {"duplicates", receipt->duplicates},
                                           {"unknown_portal", receipt->unknown_portal},
                                           {"over_limit", receipt->over_limit},
                                           {"ignored", receipt->ignored}});
              }});

  router.add({"POST", "/api/tenant/hook-token/rotate", Access::admin, [&hooks](RequestContext& ctx) {
                auto url = hooks.rotate_token(ctx.session.tenant_id, std::string(ctx.request.header("host")));
                if (!url.ok()) throw_error(url.error());
                ctx.auditor.record("call_webhook_token_rotated", Json::object());
                return json_response(200, {{"call_webhook_url", *url}});
              }});
}

}  // namespace tenantsync::api
