// GET /api/events: the tenant's live events as server-sent events (run progress, new counts,
// new leads). The token comes in the Authorization header, never in the URL.
#include "api/json.hpp"
#include "api/routes.hpp"
#include "sync/event_bus.hpp"

namespace tenantsync::api {

void add_events_routes(Router& router, sync::EventBus* events) {
  router.add({"GET", "/api/events", Access::user, [events](RequestContext& ctx) {
                if (events == nullptr)
                  throw ApiError(503, core::ErrorCode::sync_unavailable,
                                 "This server runs without the sync engine.");
                http::Response res;
                res.status = 200;
                res.content_type = "text/event-stream";
                res.headers.emplace_back("Cache-Control", "no-cache");
                res.headers.emplace_back("X-Accel-Buffering", "no");  // proxies must not hold events back
                const TenantId tenant = ctx.session.tenant_id;
                sync::EventBus& bus = *events;
                res.on_stream = [&bus, tenant](std::shared_ptr<http::EventSink> sink) {
                  sink->push(sync::format_sse("ready", Json{{"tenant_id", tenant}}.dump()));
                  bus.subscribe(tenant, [sink](const std::string& name, const std::string& data) {
                    return !sink->closed() && sink->push(sync::format_sse(name, data));
                  });
                };
                return res;
              }});
}

}  // namespace tenantsync::api
