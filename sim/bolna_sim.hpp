#pragma once
// The simulated Bolna voice platform: many accounts, each behind its own API key, with agents,
// phone numbers, batches and executions held in memory. Serves the read endpoints the sync
// uses, with the live API's quirks (7-day execution windows, trimmed list rows, 403 bad-key
// errors) switchable, and the /_sim/bolna/ control API that tests use to shape the data.
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "http/message.hpp"
#include "id_gen.hpp"

namespace tenantsync::sim {

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

class BolnaSim {
 public:
  explicit BolnaSim(const Clock& clock);
  ~BolnaSim();
  BolnaSim(const BolnaSim&) = delete;
  BolnaSim& operator=(const BolnaSim&) = delete;

  /// Answers a Bolna API request, or nullopt when the path is not a Bolna endpoint.
  std::optional<http::Response> handle_api(const http::Request& request);
  /// Answers /_sim/bolna/...; `segments` are the path segments after "bolna".
  http::Response handle_control(const http::Request& request, const std::vector<std::string>& segments);
  /// The 1-based page a paged request asks for (executions lists), for page-scoped faults.
  static std::optional<int> page_of(const http::Request& request);

  /// Drops every account and restores the default quirks.
  void reset();
  /// Creates an account from {id?, key, name?, email?, wallet?}; returns its summary.
  Result<nlohmann::json> create_account(const nlohmann::json& spec);
  /// Adds generated records to an account; returns the counts created.
  Result<nlohmann::json> generate(const std::string& account_id, const BolnaGenerateSpec& spec);
  BolnaQuirks quirks() const;
  void set_quirks(BolnaQuirks quirks);

  struct Agent;
  struct Account;

 private:
  http::Response error(int status, const std::string& message) const;
  http::Response access_denied() const;
  http::Response list_executions(const Account& account, const Agent& agent,
                                 const http::Request& request) const;
  http::Response control_account(const http::Request& request, Account& account,
                                 const std::vector<std::string>& segments);
  Result<nlohmann::json> create_account_locked(const nlohmann::json& spec);
  Result<nlohmann::json> generate_locked(Account& account, const BolnaGenerateSpec& spec);
  Account* find_account(const std::string& id);
  std::string now_iso() const;

  const Clock& clock_;
  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Account>> accounts_;
  std::unordered_map<std::string, std::string> account_by_key_;
  BolnaQuirks quirks_;
  IdGen ids_;
};

}  // namespace tenantsync::sim
