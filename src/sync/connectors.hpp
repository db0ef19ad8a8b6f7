#pragma once
// How the engine reaches the upstreams: a factory of clients per tenant (voice) or per
// connection (CRM). Production builds libcurl clients with retries; tests pass fakes.
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "store/sync_records.hpp"
#include "upstream/crm/crm_client.hpp"
#include "upstream/crm/nango_api.hpp"
#include "upstream/outbound_policy.hpp"
#include "upstream/voice/voice_client.hpp"

namespace tenantsync::sync {

/// Where a tenant's voice platform is and the key to it.
struct VoiceEndpoint {
  std::string base_url;  ///< the tenant's white-label URL, or the configured default
  std::string api_key;
};

/// Told when a call waits before a retry (429, 5xx, …): the time it resumes and why.
using WaitObserver = std::function<void(TimePoint until, const std::string& reason)>;

/// A CRM client for one run, with the credentials it ends up holding.
class CrmSession {
 public:
  virtual ~CrmSession() = default;
  virtual upstream::CrmClient& client() = 0;
  /// The credentials JSON to store once the run is over, when a refresh rotated them; empty
  /// when nothing changed (or the connection uses Nango, which keeps them itself).
  virtual std::string updated_credentials_json() const = 0;
  /// The end of the provider's rate-limit wait when a call was refused for it, else 0.
  virtual std::int64_t rate_limited_until_ms() const = 0;
};

class Connectors {
 public:
  virtual ~Connectors() = default;
  /// A voice-platform client for one run (or one key check).
  virtual std::unique_ptr<upstream::VoiceClient> voice(const VoiceEndpoint& endpoint,
                                                       WaitObserver on_wait) = 0;
  /// A CRM client for `connection` (provider, auth kind, Nango ids, instance URL) with its
  /// decrypted credentials JSON (upstream/crm/stored_credentials.hpp owns its format; empty for Nango).
  virtual Result<std::unique_ptr<CrmSession>> crm(const store::CrmConnection& connection,
                                                  const std::string& credentials_json,
                                                  WaitObserver on_wait) = 0;
  /// A voice client for checking a key on a person's request: one try (no retries, no
  /// Retry-After waits) within a short total budget, since the URL may be the tenant's own.
  virtual std::unique_ptr<upstream::VoiceClient> voice_check(const VoiceEndpoint& endpoint) {
    return voice(endpoint, nullptr);
  }
  /// A CRM client for checking credentials on a person's request, bounded like voice_check().
  virtual Result<std::unique_ptr<CrmSession>> crm_check(const store::CrmConnection& connection,
                                                        const std::string& credentials_json) {
    return crm(connection, credentials_json, nullptr);
  }
  /// The base URL used when a tenant configured none.
  virtual std::string default_voice_base_url() const = 0;
  /// Nango, for connect sessions and for checking whose a connection is before it is stored;
  /// nullptr when the server has no Nango secret key.
  virtual upstream::NangoApi* nango() { return nullptr; }
  /// Where upstream requests may go, for checking a URL a tenant gives before it is saved.
  virtual const upstream::OutboundPolicy& outbound_policy() const = 0;
};

}  // namespace tenantsync::sync
