#include "api/json.hpp"
#include "api/metrics.hpp"
#include "api/routes.hpp"

namespace tenantsync::api {

void add_core_routes(Router& router, Services& services) {
  add_ops_routes(router, services);
  add_auth_routes(router, services);
  add_settings_routes(router, services);
  add_sync_routes(router, services);
  add_mirror_routes(router, services);
  add_events_routes(router, services);
  add_crm_routes(router, services);
  add_leads_routes(router, services);
}

void add_ops_routes(Router& router, Services& services) {
  router.add({"GET", "/healthz", Access::open, [](RequestContext&) {
                return json_response(200, {{"status", "ok"}});
              }});
  router.add(
      {"GET", "/readyz", Access::open, [&services](RequestContext&) {
         auto ping = services.stores.health.ping();
         if (!ping.ok()) {
           return json_response(503, {{"status", "unavailable"},
                                      {"error", ping.error().code},
                                      {"message", "The database is not reachable: " + ping.error().message}});
         }
         return json_response(200, {{"status", "ready"}, {"database", services.stores.health.backend()}});
       }});
  router.add({"GET", "/metrics", Access::open, [&services](RequestContext&) {
                http::Response res;
                res.content_type = "text/plain; version=0.0.4; charset=utf-8";
                res.body = services.metrics.render();
                return res;
              }});
}

}  // namespace tenantsync::api
