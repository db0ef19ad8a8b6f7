// The audit log, for admins: GET /api/audit?actor&action&from&to&cursor&limit, newest first.
#include "api/json.hpp"
#include "api/query_params.hpp"
#include "api/routes.hpp"

namespace tenantsync::api {
namespace {

Json entry_json(const store::AuditEntry& e) {
  Json detail = Json::parse(e.detail_json, nullptr, false);
  if (detail.is_discarded()) detail = Json::object();
  return {{"id", e.id},
          {"at", time_or_null(e.at_ms)},
          {"actor", {{"id", e.actor ? Json(e.actor->value()) : Json(nullptr)}, {"email", e.actor_email}}},
          {"address", e.address},
          {"action", e.action},
          {"detail", detail}};
}

}  // namespace

void add_audit_routes(Router& router, store::AuditStore& audit) {
  router.add({"GET", "/api/audit", Access::admin, [&audit](RequestContext& ctx) {
                const http::Request& r = ctx.request;
                store::AuditQuery q;
                if (auto actor = id_param(r, "actor")) q.actor = UserId{*actor};
                q.action = text_param(r, "action", 64);
                q.from_ms = time_param(r, "from");
                q.to_ms = time_param(r, "to");
                q.before_id = id_param(r, "cursor");
                q.limit = limit_param(r, 50, 500);
                auto page = audit.list_audit(ctx.session.tenant_id, q);
                if (!page.ok()) throw_error(page.error());
                Json items = Json::array();
                for (const auto& e : page->items) items.push_back(entry_json(e));
                return json_response(
                    200, Json{{"items", items},
                              {"next", page->next ? Json(std::to_string(*page->next)) : Json(nullptr)}});
              }});
}

}  // namespace tenantsync::api
