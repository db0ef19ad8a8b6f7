#pragma once
// The credentials a CRM client uses for one listing, shared by the HubSpot and Salesforce
// clients: asked from the source at the start of each listing (a Nango connection is fetched
// right before use), again when within a minute of their known expiry (so a long listing
// outlives a 30-minute OAuth token), and again when the provider refused them.
#include <chrono>
#include <mutex>
#include <optional>

#include "core/clock.hpp"
#include "upstream/crm/credentials.hpp"

namespace tenantsync::upstream {

class CredentialCache {
 public:
  /// Credentials this close to their expiry are asked for again.
  static constexpr std::chrono::milliseconds kExpiryMargin{60'000};

  CredentialCache(CredentialSource& source, const Clock& clock);

  /// The held credentials, asked anew when none are held, when they are near their expiry, or
  /// when `force_refresh` (the provider refused them).
  Result<AccessCredentials> get(bool force_refresh);
  /// Drops the held credentials: the next get() asks the source (at the start of a listing).
  void forget();

 private:
  CredentialSource& source_;
  const Clock& clock_;
  std::mutex mutex_;
  std::optional<AccessCredentials> held_;
};

}  // namespace tenantsync::upstream
