// The simulated Bolna API (its route table and read endpoints), BolnaSim's entry points, and
// the accounts. The control API is in bolna_control.cpp, generated data in bolna_generate.cpp.
#include "bolna_sim.hpp"

#include <limits>

#include "bolna_records.hpp"
#include "bolna_state.hpp"
#include "core/time_format.hpp"
#include "sim_http.hpp"
#include "sim_routes.hpp"

namespace tenantsync::sim {

using bolna::Account;
using bolna::Agent;
using bolna::Call;
using bolna::Execution;
using bolna::kDayMs;
using bolna::State;
using nlohmann::json;

namespace {

constexpr std::int64_t kMaxWindowMs = 7 * kDayMs;
constexpr int kMaxPageSize = 50;
constexpr int kDefaultPageSize = 20;

http::Response api_me(State&, Call& call) {
  const Account& account = *call.account;
  return json_response(200, {{"id", account.id},
                             {"name", account.name},
                             {"email", account.email},
                             {"wallet", account.wallet},
                             {"concurrency", {{"max", account.concurrency_max}, {"current", 0}}}});
}

http::Response api_agents(State&, Call& call) {
  json list = json::array();
  for (const auto& agent : call.account->agents) list.push_back(agent.record);
  return json_response(200, list);
}

http::Response api_agent(State& state, Call& call) {
  const Agent* agent = call.account->find_agent(call.param("agent"));
  if (!agent) return state.error(404, "Agent not found");
  return json_response(200, agent->record);
}

// PATCH /v2/agent/{id} (AgentPatchRequest): agent_config's fields are the agent's own fields as
// AgentV2 lists them (agent_name, webhook_url, …), so they are patched in at the top level like
// the control API's PATCH (null removes one). A copy kept under agent_config by the control API
// gives way to the new value.
http::Response api_patch_agent(State& state, Call& call) {
  Agent* agent = call.account->find_agent(call.param("agent"));
  if (!agent) return state.error(404, "Agent not found");
  const auto body = parse_json_body(call.request);
  if (!body || !body->is_object()) return state.error(400, "The body must be a JSON object");
  json patch = body->value("agent_config", json::object());
  if (!patch.is_object()) return state.error(400, "agent_config must be an object");
  if (const auto prompts = body->find("agent_prompts"); prompts != body->end()) patch["agent_prompts"] = *prompts;
  json& record = agent->record;
  if (auto patched = bolna::patch_record(record, "id", patch, state.now_iso()); !patched.ok())
    return state.error(400, patched.error().message);
  if (record.contains("agent_config") && record["agent_config"].is_object())
    for (const auto& [key, value] : patch.items()) record["agent_config"].erase(key);
  return json_response(200, {{"message", "success"}, {"state", "updated"}});
}

http::Response api_phone_numbers(State&, Call& call) {
  return json_response(200, call.account->phone_numbers);
}

http::Response api_batches(State& state, Call& call) {
  const Agent* agent = call.account->find_agent(call.param("agent"));
  if (!agent) return state.error(404, "Agent not found");
  return json_response(200, agent->batches);
}

http::Response api_execution(State& state, Call& call) {
  const std::string& id = call.param("execution");
  const auto it = call.account->execution_index.find(id);
  if (it == call.account->execution_index.end()) return state.error(404, "Execution not found");
  const Agent* agent = call.account->find_agent(it->second.first);
  const auto& execution = agent->executions.at({it->second.second, id});
  return json_response(200, bolna::execution_full(execution));
}

http::Response api_executions(State& state, Call& call) {
  const Agent* found = call.account->find_agent(call.param("agent"));
  if (!found) return state.error(404, "Agent not found");
  const Agent& agent = *found;
  const http::Request& request = call.request;
  const auto page_number_param = int_param(request, "page_number", 1, 1, 1'000'000'000);
  if (!page_number_param) return state.error(400, "page_number must be an integer >= 1");
  const auto page_size_param = int_param(request, "page_size", kDefaultPageSize, 1, kMaxPageSize);
  if (!page_size_param) return state.error(400, "page_size must be an integer between 1 and 50");
  const long long page_number = *page_number_param;
  const long long page_size = *page_size_param;
  std::optional<std::int64_t> from_ms;
  std::optional<std::int64_t> to_ms;
  for (const char* name : {"from", "to"}) {
    const auto text = request.query_param(name);
    if (!text) continue;
    const auto parsed = parse_iso8601(*text);
    if (!parsed) return state.error(400, std::string(name) + " must be an ISO-8601 UTC datetime");
    (std::string_view(name) == "from" ? from_ms : to_ms) = to_epoch_ms(*parsed);
  }
  if (state.quirks.executions_require_window) {
    if (!from_ms || !to_ms) return state.error(400, "from and to are required");
    if (*to_ms - *from_ms > kMaxWindowMs)
      return state.error(400, "The time window between from and to cannot exceed 7 days");
  }
  if (from_ms && to_ms && *from_ms > *to_ms) return state.error(400, "from must not be after to");
  const auto status = request.query_param("status");
  const auto batch_id = request.query_param("batch_id");

  // Both bounds are inclusive (the API's "greater/less than or equal").
  const auto first =
      from_ms ? agent.executions.lower_bound({*from_ms, std::string()}) : agent.executions.begin();
  const auto last = (!to_ms || *to_ms == std::numeric_limits<std::int64_t>::max())
                        ? agent.executions.end()
                        : agent.executions.lower_bound({*to_ms + 1, std::string()});
  const long long skip = (page_number - 1) * page_size;
  long long total = 0;
  json data = json::array();
  // Newest first, as the live API sorts "by last run"; from <= to was checked, so first <= last.
  for (auto it = last; it != first;) {
    --it;
    const Execution& e = it->second;
    if (status && e.status != *status) continue;
    if (batch_id && e.batch_id != *batch_id) continue;
    if (total >= skip && total < skip + page_size)
      data.push_back(bolna::execution_row(e, state.quirks.trim_list_rows));
    ++total;
  }
  return json_response(200, {{"page_number", page_number},
                             {"page_size", page_size},
                             {"total", total},
                             {"has_more", page_number * page_size < total},
                             {"data", std::move(data)}});
}

}  // namespace

template class StatefulUpstream<State>;

BolnaSim::BolnaSim(const Clock& clock) : StatefulUpstream(std::in_place, clock) {}

BolnaQuirks BolnaSim::quirks() const {
  std::lock_guard lock(state_->mutex);
  return state_->quirks;
}

void BolnaSim::set_quirks(BolnaQuirks quirks) {
  std::lock_guard lock(state_->mutex);
  state_->quirks = quirks;
}

Result<json> BolnaSim::create_account(const json& spec) {
  std::lock_guard lock(state_->mutex);
  return state_->create_account(spec);
}

std::optional<int> bolna::request_page(State&, const http::Request& request) {
  if (!http::match_path("/v2/agent/{agent}/executions", request.path)) return std::nullopt;
  const auto page = request.query_param("page_number");
  if (!page) return 1;
  const auto number = parse_integer(*page);
  if (!number || *number < 1 || *number > std::numeric_limits<int>::max()) return std::nullopt;
  return static_cast<int>(*number);
}

std::optional<http::Response> bolna::serve_api(State& state, const http::Request& request) {
  static const SimRoutes<http::Response (*)(State&, Call&)> kRoutes{
      {"GET", "/user/me", api_me},
      {"GET", "/v2/agent/all", api_agents},
      {"GET", "/v2/agent/{agent}", api_agent},
      {"PATCH", "/v2/agent/{agent}", api_patch_agent},
      {"GET", "/v2/agent/{agent}/executions", api_executions},
      {"GET", "/phone-numbers/all", api_phone_numbers},
      {"GET", "/batches/{agent}/all", api_batches},
      {"GET", "/executions/{execution}", api_execution},
  };
  const auto match = kRoutes.match(request);
  if (match.outcome == http::MatchOutcome::not_found) return std::nullopt;
  std::lock_guard lock(state.mutex);
  if (match.outcome == http::MatchOutcome::method_not_allowed) return state.error(405, "Method Not Allowed");
  const auto key_it = state.account_by_key.find(http::bearer_token(request));
  if (key_it == state.account_by_key.end()) return state.access_denied();
  Call call{RouteCall{request, match.params}};
  call.account = state.accounts.at(key_it->second).get();
  return match.route->handler(state, call);
}

Account* State::find_account(const std::string& id) {
  const auto it = accounts.find(id);
  return it == accounts.end() ? nullptr : it->second.get();
}

std::string State::now_iso() const { return format_iso8601(clock.now()); }

Result<json> State::create_account(const json& spec) {
  if (!spec.is_object()) return make_error("bad_request", "an account is a JSON object");
  if (!spec.contains("key") || !spec["key"].is_string() || spec["key"].get<std::string>().empty())
    return make_error("bad_request", "key (the account's API key) is required");
  auto account = std::make_unique<Account>();
  account->key = spec["key"].get<std::string>();
  if (spec.contains("id") && !spec["id"].is_string()) return make_error("bad_request", "id must be a string");
  account->id = spec.value("id", std::string());
  if (account->id.empty()) account->id = ids.uuid();
  account->name = spec.value("name", "Account " + account->id);
  account->email = spec.value("email", account->id + "@sim.example");
  if (spec.contains("wallet") && spec["wallet"].is_number()) account->wallet = spec["wallet"].get<double>();
  if (accounts.count(account->id))
    return make_error("conflict", "account " + account->id + " already exists");
  if (account_by_key.count(account->key))
    return make_error("conflict", "another account already uses this key");
  account_by_key[account->key] = account->id;
  json summary = account->summary();
  accounts[account->id] = std::move(account);
  return summary;
}

http::Response State::error(int status, const std::string& message) const {
  if (quirks.live_errors) return json_response(status, {{"detail", message}});
  return json_response(status, {{"error", status}, {"message", message}});
}

http::Response State::access_denied() const {
  if (quirks.live_errors) return json_response(403, {{"detail", "Invalid API key"}});
  return json_response(401, {{"error", 401}, {"message", "Access denied"}});
}

Agent* Account::find_agent(const std::string& agent_id) {
  for (auto& agent : agents)
    if (agent.id() == agent_id) return &agent;
  return nullptr;
}

json Account::summary() const {
  std::size_t batches = 0;
  for (const auto& agent : agents) batches += agent.batches.size();
  return {{"id", id},
          {"key", key},
          {"name", name},
          {"email", email},
          {"wallet", wallet},
          {"counts",
           {{"agents", agents.size()},
            {"phone_numbers", phone_numbers.size()},
            {"batches", batches},
            {"executions", execution_index.size()}}}};
}

void Account::add_execution(Agent& agent, Execution execution) {
  execution_index[execution.id] = {agent.id(), execution.created_ms};
  const std::pair<std::int64_t, std::string> key{execution.created_ms, execution.id};
  agent.executions.emplace(key, std::move(execution));
}

void Account::drop_executions(Agent& agent) {
  for (const auto& [key, execution] : agent.executions) execution_index.erase(key.second);
  agent.executions.clear();
}

}  // namespace tenantsync::sim
