#pragma once
// What a CRM's responses said about its rate limits — the budget from the latest headers and
// the latest refusal — kept for the engine, which reads it from another thread while a listing
// runs. Shared by the HubSpot and Salesforce clients; each reads its own headers.
#include <functional>
#include <mutex>

#include "upstream/crm/crm_client.hpp"

namespace tenantsync::upstream {

class RateStatus {
 public:
  RateBudget budget() const;
  RateLimitInfo last_refusal() const;

  /// Records a response: `read` changes the budget fields its headers carry; a success (2xx)
  /// also clears the latest refusal.
  void observe(int status, const std::function<void(RateBudget&)>& read);
  /// Records a refusal for rate (until when, under which policy).
  void refused(RateLimitInfo info);

 private:
  mutable std::mutex mutex_;
  RateBudget budget_;
  RateLimitInfo refusal_;
};

}  // namespace tenantsync::upstream
