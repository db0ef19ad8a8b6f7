#pragma once
// The simulated Bolna voice platform: many accounts, each behind its own API key, with agents,
// phone numbers, batches and executions held in memory. Serves the read endpoints the sync
// uses, with the live API's quirks (7-day execution windows, trimmed list rows, 403 bad-key
// errors) switchable, and the /_sim/bolna/ control API that tests use to shape the data.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "core/clock.hpp"
#include "sim_result.hpp"
#include "simulated_upstream.hpp"

namespace tenantsync::sim {

namespace bolna {
struct State;
}
extern template class StatefulUpstream<bolna::State>;

/// Live-API behaviours that differ from the documentation.
struct BolnaQuirks {
  bool live_errors = false;               ///< bad key → 403 {"detail"}; errors as {"detail"}
  bool executions_require_window = true;  ///< from/to required, at most 7 days apart
  bool trim_list_rows = true;             ///< execution list rows carry only a few fields
};

/// What POST /_sim/bolna/accounts/{id}/generate creates (added to what the account has).
struct BolnaGenerateSpec {
  int agents = 0;
  int phone_numbers = 0;
  int batches = 0;     ///< per agent (the new agents, or all agents when none are new)
  int executions = 0;  ///< in total, spread round-robin over the same agents
  int days = 30;       ///< executions' created_at spread over the last `days` days
  std::uint64_t seed = 1;
};

/// Executions lists are paged (page_number). A reset drops every account and restores the
/// default quirks.
class BolnaSim final : public StatefulUpstream<bolna::State> {
 public:
  explicit BolnaSim(const Clock& clock);

  BolnaQuirks quirks() const;
  void set_quirks(BolnaQuirks quirks);
  /// Creates an account from {id?, key, name?, email?, wallet?}; returns its summary.
  Result<nlohmann::json> create_account(const nlohmann::json& spec);
  /// Adds generated records to an account; returns the counts created.
  Result<nlohmann::json> generate(const std::string& account_id, const BolnaGenerateSpec& spec);
};

}  // namespace tenantsync::sim
