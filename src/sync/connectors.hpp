#pragma once
// How the engine reaches the upstreams: a factory of clients per tenant (voice) or per
// connection (CRM). Production builds libcurl clients with retries; tests pass fakes.
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "core/clock.hpp"
#include "upstream/voice/voice_client.hpp"

namespace tenantsync::sync {

/// Where a tenant's voice platform is and the key to it.
struct VoiceEndpoint {
  std::string base_url;  ///< the tenant's white-label URL, or the configured default
  std::string api_key;
};

/// Told when a call waits before a retry (429, 5xx, …): the time it resumes and why.
using WaitObserver = std::function<void(TimePoint until, const std::string& reason)>;

class Connectors {
 public:
  virtual ~Connectors() = default;
  /// A voice-platform client for one run (or one key check).
  virtual std::unique_ptr<upstream::VoiceClient> voice(const VoiceEndpoint& endpoint, WaitObserver on_wait) = 0;
  /// The base URL used when a tenant configured none.
  virtual std::string default_voice_base_url() const = 0;
};

}  // namespace tenantsync::sync
