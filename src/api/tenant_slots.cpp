#include "api/tenant_slots.hpp"

namespace tenantsync::api {

TenantSlots::TenantSlots(int max_per_tenant) : max_(max_per_tenant) {}

TenantSlots::Slot TenantSlots::try_acquire(TenantId tenant_id) {
  {
    std::lock_guard lock(counts_->mutex);
    int& n = counts_->held[tenant_id];
    if (max_ > 0 && n >= max_) {
      if (n == 0) counts_->held.erase(tenant_id);
      return nullptr;
    }
    ++n;
  }
  // The deleter gives the slot back; the pointer itself is only a token.
  return Slot(static_cast<void*>(counts_.get()), [counts = counts_, tenant_id](void*) {
    std::lock_guard lock(counts->mutex);
    auto found = counts->held.find(tenant_id);
    if (found != counts->held.end() && --found->second <= 0) counts->held.erase(found);
  });
}

int TenantSlots::held(TenantId tenant_id) const {
  std::lock_guard lock(counts_->mutex);
  auto found = counts_->held.find(tenant_id);
  return found == counts_->held.end() ? 0 : found->second;
}

}  // namespace tenantsync::api
