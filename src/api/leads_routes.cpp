// Leads: the "Recent Threads" list (newest first, searchable) and manual leads.
#include <spdlog/spdlog.h>

#include "api/json.hpp"
#include "api/routes.hpp"
#include "api/run_json.hpp"
#include "core/email.hpp"
#include "core/phone.hpp"
#include "core/time_format.hpp"

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

void add_leads_routes(Router& router, Services& s) {
  router.add({"GET", "/api/leads", Access::user, [&s](RequestContext& ctx) {
                store::LeadQuery q;
                q.limit = query_int(ctx.request, "limit", 50, 1, 500);
                q.after = query_cursor(ctx.request);
                if (auto found = ctx.request.query.find("q"); found != ctx.request.query.end())
                  q.q = found->second;
                if (q.q.size() > 200)
                  throw ApiError(422, "validation_failed", "The search text is too long.");
                auto page = s.store.list_leads(ctx.session.tenant_id, q);
                if (!page.ok()) throw_error(page.error());
                Json items = Json::array();
                for (const auto& l : page->items) items.push_back(lead_json(l));
                return json_response(
                    200, Json{{"items", items},
                              {"next", page->next ? Json(encode_cursor(*page->next)) : Json(nullptr)}});
              }});

  router.add(
      {"POST", "/api/leads", Access::user, [&s](RequestContext& ctx) {
         const Json body = parse_object_body(ctx.request);
         store::Lead lead;
         lead.source = "manual";
         lead.match_reason = "manual";
         lead.name = optional_string(body, "name").value_or("");
         lead.email = optional_string(body, "email").value_or("");
         lead.phone_raw = optional_string(body, "phone").value_or("");
         if (lead.name.size() > 200 || lead.email.size() > 320 || lead.phone_raw.size() > 64)
           throw ApiError(422, "validation_failed", "A field is too long.");
         if (lead.name.empty() && lead.email.empty() && lead.phone_raw.empty())
           throw ApiError(422, "validation_failed", "Give at least a name, a phone or an e-mail.");
         lead.email_norm = core::normalize_email(lead.email);
         if (!lead.email.empty() && !core::looks_like_email(lead.email_norm))
           throw ApiError(422, "validation_failed", "The field \"email\" is not an e-mail address.");
         auto tenant = s.store.find_tenant(ctx.session.tenant_id);
         if (!tenant.ok()) throw_error(tenant.error());
         if (!lead.phone_raw.empty()) {
           const auto phone =
               core::normalize_phone(lead.phone_raw, tenant->has_value() ? (*tenant)->default_region : "US");
           lead.phone_e164 = phone.e164;
           lead.phone_valid = phone.valid;
         }
         if (lead.name.empty()) lead.name = !lead.email.empty() ? lead.email : lead.phone_raw;
         // One person, one lead: a manual lead with a known phone or e-mail is refused.
         auto same = s.store.find_lead_candidates(
             ctx.session.tenant_id, "", {},
             lead.phone_e164.empty() ? std::vector<std::string>{} : std::vector<std::string>{lead.phone_e164},
             lead.email_norm.empty() ? std::vector<std::string>{}
                                     : std::vector<std::string>{lead.email_norm});
         if (!same.ok()) throw_error(same.error());
         if (!same->empty()) {
           auto existing = s.store.find_lead(ctx.session.tenant_id, same->front().id);
           Json answer{{"error", "lead_exists"},
                       {"message", "A lead with this phone number or e-mail already exists."}};
           if (existing.ok() && existing->has_value()) answer["lead"] = lead_json(**existing);
           return json_response(409, answer);
         }
         auto created = s.store.create_lead(ctx.session.tenant_id, lead, to_epoch_ms(s.clock.now()));
         if (!created.ok()) throw_error(created.error());
         spdlog::info("event=lead_created tenant_id={} lead_id={} source=manual", ctx.session.tenant_id,
                      created->id);
         return json_response(201, lead_json(*created));
       }});
}

}  // namespace tenantsync::api
