#include "service/lead_service.hpp"

#include <spdlog/spdlog.h>

#include "core/email.hpp"
#include "service/call_service.hpp"
#include "service/errors.hpp"
#include "sync/lead_contact.hpp"

namespace tenantsync::service {
namespace {

std::vector<std::string> one_or_none(const std::string& key) {
  return key.empty() ? std::vector<std::string>{} : std::vector<std::string>{key};
}

}  // namespace

LeadService::LeadService(store::LeadStore& leads, store::SettingsStore& settings,
                         store::CrmConnectionStore& crm, store::RunHistory& runs, const Clock& clock)
    : leads_(leads), settings_(settings), crm_(crm), runs_(runs), clock_(clock) {}

Result<std::string> LeadService::region_of(TenantId tenant_id) { return tenant_region(settings_, tenant_id); }

Result<store::LeadPage> LeadService::list(TenantId tenant_id, store::LeadQuery query) {
  if (!query.q.empty()) {
    auto region = region_of(tenant_id);
    if (!region.ok()) return region.error();
    query.q_e164 = search_number(query.q, *region);
  }
  return leads_.list_leads(tenant_id, query);
}

Result<LeadView> LeadService::find(TenantId tenant_id, LeadId id) {
  auto lead = leads_.find_lead(tenant_id, id);
  if (!lead.ok()) return lead.error();
  if (!lead->has_value()) return make_error(core::ErrorCode::not_found, "No such lead.");
  LeadView view{std::move(**lead), std::nullopt, std::nullopt, std::nullopt};
  if (view.lead.crm_connection_id != ConnectionId{0}) {
    auto connection = crm_.find_crm_connection(tenant_id, view.lead.crm_connection_id);
    if (!connection.ok()) return connection.error();
    view.connection = std::move(*connection);
  }
  for (auto [run_id, into] : {std::pair{view.lead.created_run, &view.created_run},
                              std::pair{view.lead.updated_run, &view.updated_run}}) {
    if (!run_id) continue;
    auto run = runs_.find_run(tenant_id, *run_id);
    if (!run.ok()) return run.error();
    *into = std::move(*run);
  }
  return view;
}

Result<NewLead> LeadService::create_manual(TenantId tenant_id, const ManualLead& input) {
  if (input.name.size() > 200 || input.email.size() > 320 || input.phone.size() > 64)
    return invalid("A field is too long.");
  auto region = region_of(tenant_id);
  if (!region.ok()) return region.error();
  store::Lead lead;
  lead.source = "manual";
  lead.match_reason = "manual";
  sync::set_contact(lead, {input.name, input.email, input.phone}, *region);
  if (lead.name.empty()) return invalid("Give at least a name, a phone or an e-mail.");
  if (!lead.email.empty() && !core::looks_like_email(lead.email_norm))
    return invalid("The field \"email\" is not an e-mail address.");

  // One person, one lead: a manual lead with a known phone or e-mail is refused.
  auto same = leads_.find_lead_candidates(tenant_id, "", {}, one_or_none(lead.phone_e164),
                                          one_or_none(lead.email_norm));
  if (!same.ok()) return same.error();
  if (!same->empty()) {
    NewLead duplicate{true, std::nullopt};
    if (auto existing = leads_.find_lead(tenant_id, LeadId{same->front().id}); existing.ok() && existing->has_value())
      duplicate.lead = **existing;
    return duplicate;
  }
  auto created = leads_.create_lead(tenant_id, lead, clock_.now());
  if (!created.ok()) return created.error();
  spdlog::info("event=lead_created tenant_id={} lead_id={} source=manual", tenant_id, created->id);
  return NewLead{false, *created};
}

}  // namespace tenantsync::service
