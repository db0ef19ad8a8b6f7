#pragma once
// The call log as people use it: browse and search executions (a typed number found in any
// format), open a call (its detail fetched from the voice platform the first time, cached after),
// and a lead's calls (executions to or from the lead's E.164 number).
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "crypto/crypto.hpp"
#include "store/call_store.hpp"
#include "store/lead_store.hpp"
#include "store/settings_store.hpp"
#include "sync/connectors.hpp"
#include "upstream/voice/voice_client.hpp"

namespace tenantsync::service {

/// An execution and, when it was fetched before, its cached detail.
struct OpenedCall {
  store::CallRow call;
  std::optional<store::CallDetail> detail;
};

class CallService {
 public:
  CallService(store::CallStore& calls, store::LeadStore& leads, store::SettingsStore& settings,
              const crypto::SecretBox& secrets, sync::Connectors& connectors, const Clock& clock)
      : calls_(calls),
        leads_(leads),
        settings_(settings),
        secrets_(secrets),
        connectors_(connectors),
        clock_(clock) {}

  /// A page of the call log; query.q also matches a number typed in any format (read in the
  /// tenant's region). query.q_e164 is set here.
  Result<store::CallPage> list(TenantId tenant_id, store::CallQuery query);
  /// The execution and its cached detail, if any; "not_found" when the tenant has no such execution.
  Result<OpenedCall> open(TenantId tenant_id, MirrorRowId id);
  /// Asks the voice platform for the call's detail (one try, bounded, as for a key check: the
  /// URL may be the tenant's own) and caches it. Errors: "no_api_key", the platform's
  /// ("key_rejected", "upstream_not_found", "upstream_timeout", …), the store's.
  Result<store::CallDetail> fetch_detail(TenantId tenant_id, const store::CallRow& call);
  /// The calls to or from the lead's number, newest first (archived executions included: they
  /// were still calls with the person); an empty page when the lead has no valid number.
  /// "not_found" when the tenant has no such lead.
  Result<store::CallPage> calls_of_lead(TenantId tenant_id, LeadId id, int limit,
                                        std::optional<store::PageCursor> after);

 private:
  /// The call log's columns of `call` from what its detail says of it (`record`).
  Status fill_columns(TenantId tenant_id, const store::CallRow& call, const upstream::VoiceRecord& record);

  store::CallStore& calls_;
  store::LeadStore& leads_;
  store::SettingsStore& settings_;
  const crypto::SecretBox& secrets_;
  sync::Connectors& connectors_;
  const Clock& clock_;
};

/// The tenant's region for numbers without a country code ("US" for a tenant with no settings row).
Result<std::string> tenant_region(store::SettingsStore& settings, TenantId tenant_id);

/// `text` as an E.164 number when it reads as a phone number in `region`, else empty. Texts
/// without enough digits to be a number (ids, names) are never read as one.
std::string search_number(const std::string& text, const std::string& region);

}  // namespace tenantsync::service
