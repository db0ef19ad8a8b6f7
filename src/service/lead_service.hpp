#pragma once
// Manual leads: a person adds a lead by hand. Its contact details go through the same
// normalizer as the CRM sync's (sync/lead_contact.hpp), so the two kinds match each other.
#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "store/lead_store.hpp"
#include "store/settings_store.hpp"

namespace tenantsync::service {

struct ManualLead {
  std::string name;
  std::string email;
  std::string phone;
};

struct NewLead {
  /// True when a lead with the phone or e-mail exists already: nothing was created (one
  /// person, one lead), and `lead` is that one (when it could be read).
  bool duplicate = false;
  std::optional<store::Lead> lead;
};

class LeadService {
 public:
  LeadService(store::LeadStore& leads, store::SettingsStore& settings, const Clock& clock);

  /// Errors: "validation_failed", the store's.
  Result<NewLead> create_manual(TenantId tenant_id, const ManualLead& input);

 private:
  /// The tenant's region for phone numbers without a country code.
  Result<std::string> region_of(TenantId tenant_id);

  store::LeadStore& leads_;
  store::SettingsStore& settings_;
  const Clock& clock_;
};

}  // namespace tenantsync::service
