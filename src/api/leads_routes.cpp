// Leads: the list (searched by name, e-mail or a phone number in any format, filtered, sorted,
// paged), one lead with its lineage, the lead's calls, and manual leads.
#include "api/json.hpp"
#include "api/query_params.hpp"
#include "api/request_bodies.hpp"
#include "api/routes.hpp"
#include "api/run_json.hpp"
#include "core/time_format.hpp"
#include "service/use_cases.hpp"

namespace tenantsync::api {
namespace {

Json or_null(const std::string& text) { return text.empty() ? Json(nullptr) : Json(text); }

}  // namespace

Json lead_json(const store::Lead& l) {
  return {{"id", l.id},
          {"name", l.name},
          {"email", or_null(l.email)},
          {"phone_e164", or_null(l.phone_e164)},
          {"phone_raw", or_null(l.phone_raw)},
          {"phone_valid", l.phone_valid},
          {"source", l.source},
          {"crm_provider", or_null(l.crm_provider)},
          {"crm_id", or_null(l.crm_id)},
          {"crm_owner", or_null(l.crm_owner)},
          {"crm_owner_email", or_null(l.crm_owner_email)},
          {"crm_status", or_null(l.crm_status)},
          {"crm_stage", or_null(l.crm_stage)},
          {"crm_description", or_null(l.crm_description)},
          {"crm_last_activity_at", time_or_null(l.crm_last_activity_at_ms)},
          {"crm_archived_at", time_or_null(l.crm_archived_at_ms)},
          {"match_reason", or_null(l.match_reason)},
          {"created_at", time_or_null(l.created_at_ms)},
          {"updated_at", time_or_null(l.updated_at_ms)},
          {"crm_connection_id",
           l.crm_connection_id.value() != 0 ? Json(l.crm_connection_id.value()) : Json(nullptr)}};
}

store::LeadQuery lead_query(const http::Request& r) {
  store::LeadQuery q;
  q.limit = limit_param(r);
  q.after = cursor_param(r);
  q.q = text_param(r, "q", 200);
  q.source = choice_param(r, "source", {"crm", "manual"});
  q.owner = text_param(r, "owner", 320);
  q.status = text_param(r, "status", 200);
  q.stage = text_param(r, "stage", 200);
  if (auto id = id_param(r, "connection_id")) q.connection_id = ConnectionId{*id};
  const std::string archived = choice_param(r, "archived", {"true", "false"});
  if (!archived.empty()) q.archived = archived == "true";
  const std::string sort =
      choice_param(r, "sort", {"created_at", "updated_at", "last_activity_at"});
  q.sort = sort == "updated_at"         ? store::LeadSort::updated_at
           : sort == "last_activity_at" ? store::LeadSort::last_activity_at
                                        : store::LeadSort::created_at;
  q.ascending = choice_param(r, "order", {"desc", "asc"}) == "asc";
  return q;
}

void add_leads_routes(Router& router, service::LeadService& leads, service::CallService& calls) {
  router.add({"GET", "/api/leads", Access::viewer, [&leads](RequestContext& ctx) {
                const store::LeadQuery q = lead_query(ctx.request);
                auto page = leads.list(ctx.session.tenant_id, q);
                if (!page.ok()) throw_error(page.error());
                Json items = Json::array();
                for (const auto& l : page->items) items.push_back(lead_json(l));
                return json_response(
                    200, Json{{"items", items},
                              {"next", page->next ? Json(encode_cursor(*page->next)) : Json(nullptr)}});
              }});

  router.add({"GET", "/api/leads/{id}", Access::viewer, [&leads](RequestContext& ctx) {
                auto view = leads.find(ctx.session.tenant_id, LeadId{path_id(ctx.param("id"), "lead")});
                if (!view.ok()) throw_error(view.error());
                Json out = lead_json(view->lead);
                const auto run = [](const std::optional<store::SyncRun>& r) -> Json {
                  if (!r) return nullptr;
                  return {{"id", r->id},
                          {"target", r->target.to_string()},
                          {"trigger", core::to_string(r->trigger)},
                          {"state", core::to_string(r->state)},
                          {"created_at", time_or_null(r->created_at_ms)},
                          {"finished_at", time_or_null(r->finished_at_ms)}};
                };
                Json connection = nullptr;
                if (view->connection) {
                  const store::CrmConnection& c = *view->connection;
                  connection = {{"id", c.id},
                                {"provider", core::to_string(c.provider)},
                                {"provider_account_id", c.provider_account_id},
                                {"active", c.active},
                                {"state", core::to_string(c.state)}};
                }
                out["lineage"] = {{"source", view->lead.source},
                                  {"match_reason", or_null(view->lead.match_reason)},
                                  {"crm_connection", std::move(connection)},
                                  {"crm_id", or_null(view->lead.crm_id)},
                                  {"created_run", run(view->created_run)},
                                  {"updated_run", run(view->updated_run)}};
                return json_response(200, out);
              }});

  router.add({"GET", "/api/leads/{id}/calls", Access::viewer, [&calls](RequestContext& ctx) {
                const LeadId id{path_id(ctx.param("id"), "lead")};
                auto page = calls.calls_of_lead(ctx.session.tenant_id, id, limit_param(ctx.request),
                                                cursor_param(ctx.request));
                if (!page.ok()) throw_error(page.error());
                Json items = Json::array();
                for (const auto& c : page->items) items.push_back(call_json(c));
                return json_response(
                    200, Json{{"items", items},
                              {"next", page->next ? Json(encode_cursor(*page->next)) : Json(nullptr)}});
              }});

  router.add({"POST", "/api/leads", Access::member, [&leads](RequestContext& ctx) {
                const service::ManualLead input = parse_manual_lead_body(ctx.request.body);
                auto created = leads.create_manual(ctx.session.tenant_id, input);
                if (!created.ok()) throw_error(created.error());
                if (created->duplicate) {
                  Json answer{{"error", "lead_exists"},
                              {"message", "A lead with this phone number or e-mail already exists."}};
                  if (created->lead) answer["lead"] = lead_json(*created->lead);
                  return json_response(409, answer);
                }
                return json_response(201, lead_json(*created->lead));
              }});
}

}  // namespace tenantsync::api
