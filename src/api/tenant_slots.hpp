#pragma once
// What each tenant holds at once of one kind (open event streams, key checks in progress),
// counted against a cap, so one tenant cannot take what all tenants share.
#include <memory>
#include <mutex>
#include <unordered_map>

#include "core/ids.hpp"

namespace tenantsync::api {

class TenantSlots {
 public:
  /// A held slot: the tenant holds it until the last copy is destroyed.
  using Slot = std::shared_ptr<void>;

  /// `max_per_tenant` 0: no cap.
  explicit TenantSlots(int max_per_tenant);

  /// A slot for the tenant, or null when it already holds max_per_tenant.
  Slot try_acquire(TenantId tenant_id);
  /// Slots the tenant holds now.
  int held(TenantId tenant_id) const;
  int max_per_tenant() const { return max_; }

 private:
  struct Counts {
    mutable std::mutex mutex;
    std::unordered_map<TenantId, int> held;
  };
  const int max_;
  // Shared with the slots, which may outlive this object (a stream still closing at shutdown).
  std::shared_ptr<Counts> counts_ = std::make_shared<Counts>();
};

}  // namespace tenantsync::api
