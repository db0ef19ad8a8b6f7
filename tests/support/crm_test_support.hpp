#pragma once
// Test doubles shared by the CRM client tests: a sleeper that moves a fake clock, and a
// credential source that hands out numbered tokens and counts its calls.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "upstream/crm/credentials.hpp"
#include "upstream/retrying_http_client.hpp"

namespace tenantsync::upstream::crm_testing {

/// Records every wait and advances the clock by it, so no test sleeps for real.
class ClockSleeper final : public Sleeper {
 public:
  explicit ClockSleeper(FakeClock& clock) : clock_(clock) {}
  void sleep_for(std::chrono::milliseconds duration) override {
    waits.push_back(duration);
    clock_.advance(duration);
  }
  std::vector<std::chrono::milliseconds> waits;

 private:
  FakeClock& clock_;
};

/// get(false) returns the current token ("tok-1" at first); get(true) moves to the next one,
/// or fails with `refresh_error` when set.
class CountingSource final : public CredentialSource {
 public:
  explicit CountingSource(std::string instance_url = {}) : instance_url_(std::move(instance_url)) {}
  Result<AccessCredentials> get(bool force_refresh) override {
    ++gets;
    if (force_refresh) {
      ++forced;
      if (refresh_error) return *refresh_error;
      ++generation_;
    }
    AccessCredentials credentials;
    credentials.access_token = "tok-" + std::to_string(generation_);
    credentials.instance_url = instance_url_;
    credentials.expires_at_ms = expires_at_ms;
    return credentials;
  }
  std::int64_t expires_at_ms = 0;  ///< handed out with every token
  int gets = 0;
  int forced = 0;
  std::optional<Error> refresh_error;

 private:
  std::string instance_url_;
  int generation_ = 1;
};

/// The dependencies a CRM client takes by reference, in one place for a test.
struct ClientDeps {
  explicit ClientDeps(std::string instance_url = {}) : tokens(std::move(instance_url)) {}
  CountingSource tokens;
  FakeClock clock{1'700'000'000'000};
  ClockSleeper sleeper{clock};
};

}  // namespace tenantsync::upstream::crm_testing
