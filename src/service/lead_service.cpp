#include "service/lead_service.hpp"

#include <spdlog/spdlog.h>

#include "core/email.hpp"
#include "service/errors.hpp"
#include "sync/lead_contact.hpp"

namespace tenantsync::service {
namespace {

std::vector<std::string> one_or_none(const std::string& key) {
  return key.empty() ? std::vector<std::string>{} : std::vector<std::string>{key};
}

}  // namespace

LeadService::LeadService(store::LeadStore& leads, store::SettingsStore& settings, const Clock& clock)
    : leads_(leads), settings_(settings), clock_(clock) {}

Result<std::string> LeadService::region_of(TenantId tenant_id) {
  auto settings = settings_.get_settings(tenant_id);
  if (settings.ok()) return settings->default_region;
  if (settings.error().code == core::ErrorCode::not_found) return std::string("US");
  return settings.error();
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
