#include "api/json.hpp"
#include "api/metrics.hpp"
#include "api/routes.hpp"

namespace tenantsync::api {

void add_core_routes(Router& router, Services& services, LongWork& work, TenantSlots& streams) {
  Stores& stores = services.stores;
  service::UseCases& use_cases = services.use_cases;
  add_ops_routes(router, stores.health, services.metrics);
  add_openapi_routes(router);
  add_auth_routes(router, services);
  add_settings_routes(router, use_cases.settings, use_cases.hooks, use_cases.agent_webhooks, work);
  add_hooks_routes(router, use_cases.hooks, services.metrics);
  add_sync_routes(router, stores.runs, stores.mirror, use_cases.runs, work);
  add_mirror_routes(router, stores.mirror, use_cases.archive);
  add_events_routes(router, services.events, streams);
  add_crm_routes(router, use_cases.crm, work);
  add_leads_routes(router, use_cases.leads, use_cases.calls);
  add_calls_routes(router, stores.calls, stores.mirror, use_cases.calls, work);
  add_stats_routes(router, stores.calls, stores.leads, services.clock);
  add_team_routes(router, services);
  add_audit_routes(router, stores.audit);
  add_export_routes(router, use_cases.leads, use_cases.calls);
  add_changes_routes(router, stores.changes);
  add_webhooks_routes(router, use_cases.webhooks);
}

void add_ops_routes(Router& router, store::StoreHealth& health, Metrics& metrics) {
  router.add({"GET", "/healthz", Access::open, [](RequestContext&) {
                return json_response(200, {{"status", "ok"}});
              }});
  router.add({"GET", "/readyz", Access::open, [&health](RequestContext&) {
                auto ping = health.ping();
                if (!ping.ok()) {
                  return json_response(
                      503, {{"status", "unavailable"},
                            {"error", ping.error().code},
                            {"message", "The database is not reachable: " + ping.error().message}});
                }
                return json_response(200, {{"status", "ready"}, {"database", health.backend()}});
              }});
  router.add({"GET", "/metrics", Access::open, [&metrics](RequestContext&) {
                http::Response res;
                res.content_type = "text/plain; version=0.0.4; charset=utf-8";
                res.body = metrics.render();
                return res;
              }});
}

}  // namespace tenantsync::api
