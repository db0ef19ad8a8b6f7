// GET /api/events: the tenant's live events as server-sent events (run progress, new counts,
// new leads). The token comes in the Authorization header, never in the URL. A tenant holds a
// few streams at most (TenantSlots): each is a connection and a listener on the bus.
#include "api/json.hpp"
#include "api/routes.hpp"
#include "api/tenant_slots.hpp"
#include "sync/event_bus.hpp"

namespace tenantsync::api {

void add_events_routes(Router& router, sync::EventBus* events, TenantSlots& streams) {
  router.add({"GET", "/api/events", Access::viewer, [events, &streams](RequestContext& ctx) {
                if (events == nullptr)
                  throw ApiError(503, core::ErrorCode::sync_unavailable,
                                 "This server runs without the sync engine.");
                auto slot = streams.try_acquire(ctx.session.tenant_id);
                if (!slot) {
                  throw_error(make_error(core::ErrorCode::limit_exceeded,
                                         "Limit event_streams reached: this tenant already has " +
                                             std::to_string(streams.max_per_tenant()) +
                                             " event streams open. Close one (another tab) first."));
                }
                http::Response res;
                res.status = 200;
                res.content_type = "text/event-stream";
                res.headers.emplace_back("Cache-Control", "no-cache");
                res.headers.emplace_back("X-Accel-Buffering", "no");  // proxies must not hold events back
                const TenantId tenant = ctx.session.tenant_id;
                sync::EventBus& bus = *events;
                // The response keeps the slot and the subscription while the stream is open: the
                // server drops it when the connection ends, which gives both back.
                res.on_stream = [&bus, tenant, slot, subscription = sync::EventBus::Subscription()](
                                    std::shared_ptr<http::EventSink> sink) mutable {
                  sink->push(sync::format_sse("ready", Json{{"tenant_id", tenant}}.dump()));
                  subscription =
                      bus.subscribe_scoped(tenant, [sink](const std::string& name, const std::string& data) {
                        return !sink->closed() && sink->push(sync::format_sse(name, data));
                      });
                };
                return res;
              }});
}

}  // namespace tenantsync::api
