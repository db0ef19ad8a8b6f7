#include "upstream/crm/rate_status.hpp"

namespace tenantsync::upstream {

RateBudget RateStatus::budget() const {
  std::lock_guard lock(mutex_);
  return budget_;
}

RateLimitInfo RateStatus::last_refusal() const {
  std::lock_guard lock(mutex_);
  return refusal_;
}

void RateStatus::observe(int status, const std::function<void(RateBudget&)>& read) {
  std::lock_guard lock(mutex_);
  read(budget_);
  if (status >= 200 && status < 300) refusal_ = RateLimitInfo{};
}

void RateStatus::refused(RateLimitInfo info) {
  std::lock_guard lock(mutex_);
  refusal_ = std::move(info);
}

}  // namespace tenantsync::upstream
