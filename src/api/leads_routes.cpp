// Leads: the "Recent Threads" list (newest first, searchable) and manual leads.
#include "api/json.hpp"
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
          {"updated_at", time_or_null(l.updated_at_ms)}};
}

void add_leads_routes(Router& router, store::LeadStore& leads, service::LeadService& manual) {
  router.add({"GET", "/api/leads", Access::user, [&leads](RequestContext& ctx) {
                store::LeadQuery q;
                q.limit = query_int(ctx.request, "limit", 50, 1, 500);
                q.after = query_cursor(ctx.request);
                if (auto found = ctx.request.query.find("q"); found != ctx.request.query.end())
                  q.q = found->second;
                if (q.q.size() > 200)
                  throw ApiError(422, core::ErrorCode::validation_failed, "The search text is too long.");
                auto page = leads.list_leads(ctx.session.tenant_id, q);
                if (!page.ok()) throw_error(page.error());
                Json items = Json::array();
                for (const auto& l : page->items) items.push_back(lead_json(l));
                return json_response(
                    200, Json{{"items", items},
                              {"next", page->next ? Json(encode_cursor(*page->next)) : Json(nullptr)}});
              }});

  router.add({"POST", "/api/leads", Access::user, [&manual](RequestContext& ctx) {
                const service::ManualLead input = parse_manual_lead_body(ctx.request.body);
                auto created = manual.create_manual(ctx.session.tenant_id, input);
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
