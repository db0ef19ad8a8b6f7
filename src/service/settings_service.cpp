#include "service/settings_service.hpp"

#include <spdlog/spdlog.h>

#include "core/error_code.hpp"
#include "service/errors.hpp"
#include "sync/voice_run.hpp"
#include "upstream/outbound_policy.hpp"

namespace tenantsync::service {
namespace {

constexpr std::size_t kMaxKeyLength = 512;

Result<std::string> validated_key(const std::string& key) {
  if (key.empty() || key.size() > kMaxKeyLength)
    return invalid("The field \"voice_api_key\" must be 1 to 512 characters.");
  for (unsigned char c : key) {
    if (c <= ' ' || c == 0x7f)
      return invalid("The field \"voice_api_key\" must not contain spaces or control characters.");
  }
  return key;
}

// Empty is the default Bolna API; anything else must be a base URL the server may call.
Result<std::string> validated_base_url(const std::string& url, const upstream::OutboundPolicy& policy) {
  if (url.empty()) return url;
  return upstream::check_base_url(url, "voice_base_url", policy);
}

Result<std::string> validated_region(std::string region) {
  for (auto& c : region) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (region.size() != 2 || !std::isalpha(static_cast<unsigned char>(region[0])) ||
      !std::isalpha(static_cast<unsigned char>(region[1])))
    return invalid("The field \"default_region\" must be a two-letter ISO country code such as US or GB.");
  return region;
}

}  // namespace

SettingsService::SettingsService(store::SettingsStore& settings, const crypto::SecretBox& secrets,
                                 sync::Connectors& connectors, const Clock& clock, SyncRuns& syncs,
                                 const UseCaseOptions& options)
    : settings_(settings),
      secrets_(secrets),
      connectors_(connectors),
      clock_(clock),
      syncs_(syncs),
      key_change_wait_(options.key_change_wait) {}

Result<store::TenantSettings> SettingsService::get(TenantId tenant_id) {
  return settings_.get_settings(tenant_id);
}

Result<SavedSettings> SettingsService::save(TenantId tenant_id, const SettingsChange& change) {
  auto current = settings_.get_settings(tenant_id);
  if (!current.ok()) return current.error();
  store::TenantSettings next = *current;
  if (change.voice_base_url) {
    auto url = validated_base_url(*change.voice_base_url, connectors_.outbound_policy());
    if (!url.ok()) return url.error();
    next.voice_base_url = *url;
  }
  // The stored key is only ever sent to the host it was entered for: a new host needs it again.
  if (next.voice_base_url != current->voice_base_url && !change.voice_api_key &&
      !current->voice_api_key_cipher.empty())
    return invalid(
        "The field \"voice_api_key\" is required when \"voice_base_url\" changes: the saved key "
        "is only sent to the URL it was saved for.");
  if (change.default_region) {
    auto region = validated_region(*change.default_region);
    if (!region.ok()) return region.error();
    next.default_region = *region;
  }
  std::optional<std::string> plain_key;
  if (change.voice_api_key) {
    auto key = validated_key(*change.voice_api_key);
    if (!key.ok()) return key.error();
    plain_key = *key;
    next.voice_api_key_cipher = secrets_.seal(*plain_key);
    next.voice_key_last4 = plain_key->size() > 4 ? plain_key->substr(plain_key->size() - 4) : *plain_key;
  }

  SavedSettings saved;
  const bool check_key = plain_key.has_value() && syncs_.available();
  if (check_key) {
    auto account = account_of_key(next, *plain_key);
    if (!account.ok()) {
      if (account.error().is(core::ErrorCode::key_rejected) ||
          account.error().is(core::ErrorCode::forbidden_upstream))
        return account.error();
      saved.unreachable = account.error();
      return saved;
    }
    next.voice_account_id = *account;
  }
  if (auto put = settings_.put_settings(next, clock_.now()); !put.ok()) return put.error();
  spdlog::info("event=settings_saved tenant_id={} key_changed={} account_id={}", tenant_id,
               change.voice_api_key.has_value(), next.voice_account_id);
  saved.settings = next;
  if (check_key) saved.sync = sync_new_key(tenant_id);
  return saved;
}

Result<std::string> SettingsService::account_of_key(const store::TenantSettings& next,
                                                    const std::string& key) {
  // One try with a short total budget: the URL is the tenant's, and this runs on a request's behalf.
  auto client = connectors_.voice_check(sync::voice_endpoint(connectors_, next.voice_base_url, key));
  auto account = client->get_account();
  if (!account.ok()) {
    const auto& e = account.error();
    if (e.code == core::ErrorCode::key_rejected) return e;
    return make_error(e.code, "The key could not be checked: " + e.message + " It was not saved; try again.");
  }
  return account->id;
}

std::optional<store::SyncRun> SettingsService::sync_new_key(TenantId tenant_id) {
  auto ticket = syncs_.request(tenant_id, core::RunTarget::voice(), core::RunTrigger::key_change);
  if (ticket.ok() && ticket->joined && ticket->run.state == core::RunState::running) {
    // That run reads with the old key: let it end, then sync with the new one.
    (void)syncs_.wait(tenant_id, ticket->run.id);
    ticket = syncs_.request(tenant_id, core::RunTarget::voice(), core::RunTrigger::key_change);
  }
  if (!ticket.ok()) return std::nullopt;
  auto run = syncs_.wait(tenant_id, ticket->run.id, key_change_wait_);
  return run.ok() ? *run : ticket->run;
}

}  // namespace tenantsync::service
