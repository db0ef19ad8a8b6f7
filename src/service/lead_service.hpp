#pragma once
// Manual leads: a person adds a lead by hand. Its contact details go through the same
// normalizer as the CRM sync's (sync/lead_contact.hpp), so the two kinds match each other.
#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "store/crm_connection_store.hpp"
#include "store/lead_store.hpp"
#include "store/run_history.hpp"
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

/// A lead with its lineage: the CRM connection it is linked to and the runs that created and
/// last changed it (each nullopt when there is none, or it no longer exists).
struct LeadView {
  store::Lead lead;
  std::optional<store::CrmConnection> connection;
  std::optional<store::SyncRun> created_run;
  std::optional<store::SyncRun> updated_run;
};

class LeadService {
 public:
  LeadService(store::LeadStore& leads, store::SettingsStore& settings, store::CrmConnectionStore& crm,
              store::RunHistory& runs, const Clock& clock);

  /// Errors: "validation_failed", the store's.
  Result<NewLead> create_manual(TenantId tenant_id, const ManualLead& input);
  /// A page of leads; query.q also finds a phone number typed in any format (read in the
  /// tenant's region): query.q_e164 is set here.
  Result<store::LeadPage> list(TenantId tenant_id, store::LeadQuery query);
  /// One lead with its lineage; "not_found" when the tenant has no such lead.
  Result<LeadView> find(TenantId tenant_id, LeadId id);

 private:
  /// The tenant's region for phone numbers without a country code.
  Result<std::string> region_of(TenantId tenant_id);

  store::LeadStore& leads_;
  store::SettingsStore& settings_;
  store::CrmConnectionStore& crm_;
  store::RunHistory& runs_;
  const Clock& clock_;
};

}  // namespace tenantsync::service
