#include "upstream/crm/credential_cache.hpp"

namespace tenantsync::upstream {

CredentialCache::CredentialCache(CredentialSource& source, const Clock& clock)
    : source_(source), clock_(clock) {}

Result<AccessCredentials> CredentialCache::get(bool force_refresh) {
  std::lock_guard lock(mutex_);
  const bool near_expiry = held_ && held_->expires_at_ms > 0 &&
                           to_epoch_ms(clock_.now()) >= held_->expires_at_ms - kExpiryMargin.count();
  if (force_refresh || !held_ || near_expiry) {
    auto fresh = source_.get(force_refresh);
    if (!fresh.ok()) return fresh.error();
    held_ = std::move(*fresh);
  }
  return *held_;
}

void CredentialCache::forget() {
  std::lock_guard lock(mutex_);
  held_.reset();
}

}  // namespace tenantsync::upstream
