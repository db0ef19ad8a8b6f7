#pragma once
// Inside the simulated Bolna (bolna_sim.cpp, bolna_control.cpp, bolna_generate.cpp): the accounts
// with their records, the state behind BolnaSim, and what a routed request carries to its handler.
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "bolna_records.hpp"
#include "bolna_sim.hpp"
#include "core/clock.hpp"
#include "id_gen.hpp"
#include "loopback_webhooks.hpp"
#include "sim_routes.hpp"
#include "simulated_upstream.hpp"

namespace tenantsync::sim::bolna {

struct Agent {
  json record;
  std::vector<json> batches;
  /// Ordered by (created_at, id): a time window is one range of the map.
  std::map<std::pair<std::int64_t, std::string>, Execution> executions;

  std::string id() const { return record["id"].get<std::string>(); }
};

struct Account {
  std::string id;
  std::string key;
  std::string name;
  std::string email;
  double wallet = 100.0;
  int concurrency_max = 10;
  std::vector<Agent> agents;
  std::vector<json> phone_numbers;
  /// execution id → (agent id, created_at ms), for GET /executions/{id}.
  std::unordered_map<std::string, std::pair<std::string, std::int64_t>> execution_index;
  std::uint64_t generate_calls = 0;

  Agent* find_agent(const std::string& agent_id);
  json summary() const;
  /// Files an execution under its agent and in the id index.
  void add_execution(Agent& agent, Execution execution);
  void drop_executions(Agent& agent);
};

/// What the simulated Bolna holds, as it is after a reset.
struct Contents {
  std::map<std::string, std::unique_ptr<Account>> accounts;
  std::unordered_map<std::string, std::string> account_by_key;
  BolnaQuirks quirks;
  IdGen ids;
};

/// The contents behind one mutex (Guarded): the functions below expect it held.
struct State : Guarded<Contents> {
  explicit State(const Clock& clock) : clock(clock) {}

  const Clock& clock;
  /// Sends call webhooks (bolna_webhooks.cpp); outside the contents, so a reset keeps it running.
  WebhookSender webhooks;

  Account* find_account(const std::string& id);
  std::string now_iso() const;
  /// See BolnaSim::create_account.
  Result<json> create_account(const json& spec);
  /// See BolnaSim::generate (bolna_generate.cpp).
  Result<json> generate(Account& account, const BolnaGenerateSpec& spec);
  /// An API error, in the live API's shape when the live_errors quirk is on.
  http::Response error(int status, const std::string& message) const;
  /// The answer to a missing or unknown key.
  http::Response access_denied() const;
};

/// A routed request and the records its path names (for the API, `account` is the account of
/// the caller's key).
struct Call : RouteCall {
  Account* account = nullptr;      ///< {account}, or the key's account
  Agent* agent = nullptr;          ///< {agent}
  json* record = nullptr;          ///< {number} or {batch}
  Execution* execution = nullptr;  ///< {execution}
};

/// The API, the /_sim/bolna/ control API and a paged request's page, for StatefulUpstream: each
/// takes the lock itself.
std::optional<http::Response> serve_api(State& state, const http::Request& request);
/// Control: starts a call that POSTs its status changes to the agent's webhook_url (bolna_webhooks.cpp).
http::Response start_call(State& state, Call& call);
/// Control: what the call webhooks sent, failed and have pending.
http::Response webhook_totals(State& state, Call& call);
std::optional<http::Response> serve_control(State& state, const http::Request& request);
std::optional<int> request_page(State& state, const http::Request& request);

}  // namespace tenantsync::sim::bolna
