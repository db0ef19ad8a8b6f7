#include "bolna_sim.hpp"

#include <limits>

#include "bolna_records.hpp"
#include "core/time_format.hpp"
#include "sim_http.hpp"

namespace tenantsync::sim {

using bolna::Execution;
using bolna::kDayMs;
using nlohmann::json;

struct BolnaSim::Agent {
  json record;
  std::vector<json> batches;
  /// Ordered by (created_at, id): a time window is one range of the map.
  std::map<std::pair<std::int64_t, std::string>, Execution> executions;

  std::string id() const { return record["id"].get<std::string>(); }
};

struct BolnaSim::Account {
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

  Agent* find_agent(const std::string& agent_id) {
    for (auto& agent : agents)
      if (agent.id() == agent_id) return &agent;
    return nullptr;
  }

  std::size_t batch_count() const {
    std::size_t n = 0;
    for (const auto& agent : agents) n += agent.batches.size();
    return n;
  }

  json summary() const {
    return {{"id", id},
            {"key", key},
            {"name", name},
            {"email", email},
            {"wallet", wallet},
            {"counts",
             {{"agents", agents.size()},
              {"phone_numbers", phone_numbers.size()},
              {"batches", batch_count()},
              {"executions", execution_index.size()}}}};
  }

  void drop_executions(Agent& agent) {
    for (const auto& [key, execution] : agent.executions) execution_index.erase(key.second);
    agent.executions.clear();
  }
};

namespace {

constexpr std::int64_t kMaxWindowMs = 7 * kDayMs;
constexpr int kMaxPageSize = 50;
constexpr int kDefaultPageSize = 20;

http::Response control_error(int status, const std::string& code, const std::string& message) {
  return json_response(status, {{"error", code}, {"message", message}});
}

http::Response control_error(const Error& error) {
  const int status = error.code == "not_found" ? 404 : error.code == "conflict" ? 409 : 400;
  return control_error(status, error.code, error.message);
}

http::Response method_not_allowed() {
  return control_error(405, "method_not_allowed", "method not allowed here");
}

// One record or an array of them; the answer has the same shape. Stops at the first bad record.
template <class AddOne>
http::Response add_one_or_many(const http::Request& request, AddOne add_one) {
  const auto body = parse_json_body(request);
  if (!body) return control_error(400, "bad_request", "the body must be JSON");
  if (!body->is_array()) {
    auto added = add_one(*body);
    if (!added) return control_error(added.error());
    return json_response(201, *added);
  }
  json created = json::array();
  for (std::size_t i = 0; i < body->size(); ++i) {
    auto added = add_one((*body)[i]);
    if (!added) {
      Error error = added.error();
      error.message = "record " + std::to_string(i) + ": " + error.message + " (" + std::to_string(i) +
                      " earlier records were added)";
      return control_error(error);
    }
    created.push_back(*added);
  }
  return json_response(201, created);
}

std::optional<int> int_field(const json& body, const char* name, int fallback, int min, int max, bool& bad) {
  if (!body.contains(name)) return fallback;
  if (!body[name].is_number_integer()) {
    bad = true;
    return std::nullopt;
  }
  const auto value = body[name].get<long long>();
  if (value < min || value > max) {
    bad = true;
    return std::nullopt;
  }
  return static_cast<int>(value);
}

const char* const kAgentNames[] = {"Sales Assistant", "Support Line",  "Appointment Setter",
                                   "Collections",     "Survey Caller", "Receptionist"};

std::string pick_status(IdGen& rng) {
  const auto r = rng.below(100);
  if (r < 70) return "completed";
  if (r < 80) return "no-answer";
  if (r < 86) return "busy";
  if (r < 90) return "failed";
  if (r < 94) return "call-disconnected";
  if (r < 97) return "canceled";
  return "error";
}

std::string digits(IdGen& rng, int count) {
  std::string out;
  for (int i = 0; i < count; ++i) out.push_back(static_cast<char>('0' + rng.below(10)));
  return out;
}

}  // namespace

BolnaSim::BolnaSim(const Clock& clock) : clock_(clock) {}
BolnaSim::~BolnaSim() = default;

std::string BolnaSim::now_iso() const { return format_iso8601(clock_.now()); }

void BolnaSim::reset() {
  std::lock_guard lock(mutex_);
  accounts_.clear();
  account_by_key_.clear();
  quirks_ = BolnaQuirks{};
  ids_ = IdGen{};
}

BolnaQuirks BolnaSim::quirks() const {
  std::lock_guard lock(mutex_);
  return quirks_;
}

void BolnaSim::set_quirks(BolnaQuirks quirks) {
  std::lock_guard lock(mutex_);
  quirks_ = quirks;
}

BolnaSim::Account* BolnaSim::find_account(const std::string& id) {
  const auto it = accounts_.find(id);
  return it == accounts_.end() ? nullptr : it->second.get();
}

http::Response BolnaSim::error(int status, const std::string& message) const {
  if (quirks_.live_errors) return json_response(status, {{"detail", message}});
  return json_response(status, {{"error", status}, {"message", message}});
}

http::Response BolnaSim::access_denied() const {
  if (quirks_.live_errors) return json_response(403, {{"detail", "Invalid API key"}});
  return json_response(401, {{"error", 401}, {"message", "Access denied"}});
}

std::optional<int> BolnaSim::page_of(const http::Request& request) {
  const auto segments = split_path(request.path);
  const bool paged =
      segments.size() == 4 && segments[0] == "v2" && segments[1] == "agent" && segments[3] == "executions";
  if (!paged) return std::nullopt;
  const auto page = query_value(request, "page_number");
  if (!page) return 1;
  const auto number = parse_integer(*page);
  if (!number || *number < 1 || *number > std::numeric_limits<int>::max()) return std::nullopt;
  return static_cast<int>(*number);
}

std::optional<http::Response> BolnaSim::handle_api(const http::Request& request) {
  enum class Route { kMe, kAgents, kAgent, kExecutions, kPhoneNumbers, kBatches, kExecution };
  const auto seg = split_path(request.path);
  const std::size_t n = seg.size();
  Route route;
  std::string param;
  if (n == 2 && seg[0] == "user" && seg[1] == "me") {
    route = Route::kMe;
  } else if (n == 3 && seg[0] == "v2" && seg[1] == "agent" && seg[2] == "all") {
    route = Route::kAgents;
  } else if (n == 3 && seg[0] == "v2" && seg[1] == "agent") {
    route = Route::kAgent;
    param = seg[2];
  } else if (n == 4 && seg[0] == "v2" && seg[1] == "agent" && seg[3] == "executions") {
    route = Route::kExecutions;
    param = seg[2];
  } else if (n == 2 && seg[0] == "phone-numbers" && seg[1] == "all") {
    route = Route::kPhoneNumbers;
  } else if (n == 3 && seg[0] == "batches" && seg[2] == "all") {
    route = Route::kBatches;
    param = seg[1];
  } else if (n == 2 && seg[0] == "executions") {
    route = Route::kExecution;
    param = seg[1];
  } else {
    return std::nullopt;
  }

  std::lock_guard lock(mutex_);
  if (request.method != "GET") return error(405, "Method Not Allowed");
  const auto key_it = account_by_key_.find(bearer_token(request));
  if (key_it == account_by_key_.end()) return access_denied();
  Account& account = *accounts_.at(key_it->second);

  switch (route) {
    case Route::kMe:
      return json_response(200, {{"id", account.id},
                                 {"name", account.name},
                                 {"email", account.email},
                                 {"wallet", account.wallet},
                                 {"concurrency", {{"max", account.concurrency_max}, {"current", 0}}}});
    case Route::kAgents: {
      json list = json::array();
      for (const auto& agent : account.agents) list.push_back(agent.record);
      return json_response(200, list);
    }
    case Route::kAgent: {
      const Agent* agent = account.find_agent(param);
      if (!agent) return error(404, "Agent not found");
      return json_response(200, agent->record);
    }
    case Route::kExecutions: {
      const Agent* agent = account.find_agent(param);
      if (!agent) return error(404, "Agent not found");
      return list_executions(account, *agent, request);
    }
    case Route::kPhoneNumbers:
      return json_response(200, account.phone_numbers);
    case Route::kBatches: {
      const Agent* agent = account.find_agent(param);
      if (!agent) return error(404, "Agent not found");
      return json_response(200, agent->batches);
    }
    case Route::kExecution: {
      const auto it = account.execution_index.find(param);
      if (it == account.execution_index.end()) return error(404, "Execution not found");
      const Agent* agent = account.find_agent(it->second.first);
      const auto& execution = agent->executions.at({it->second.second, param});
      return json_response(200, bolna::execution_full(execution));
    }
  }
  return error(500, "unreachable");
}

http::Response BolnaSim::list_executions(const Account&, const Agent& agent,
                                         const http::Request& request) const {
  long long page_number = 1;
  long long page_size = kDefaultPageSize;
  if (const auto text = query_value(request, "page_number")) {
    const auto value = parse_integer(*text);
    if (!value || *value < 1 || *value > 1'000'000'000)
      return error(400, "page_number must be an integer >= 1");
    page_number = *value;
  }
  if (const auto text = query_value(request, "page_size")) {
    const auto value = parse_integer(*text);
    if (!value || *value < 1 || *value > kMaxPageSize)
      return error(400, "page_size must be an integer between 1 and 50");
    page_size = *value;
  }
  std::optional<std::int64_t> from_ms;
  std::optional<std::int64_t> to_ms;
  for (const char* name : {"from", "to"}) {
    const auto text = query_value(request, name);
    if (!text) continue;
    const auto parsed = parse_iso8601(*text);
    if (!parsed) return error(400, std::string(name) + " must be an ISO-8601 UTC datetime");
    (std::string_view(name) == "from" ? from_ms : to_ms) = to_epoch_ms(*parsed);
  }
  if (quirks_.executions_require_window) {
    if (!from_ms || !to_ms) return error(400, "from and to are required");
    if (*to_ms - *from_ms > kMaxWindowMs)
      return error(400, "The time window between from and to cannot exceed 7 days");
  }
  if (from_ms && to_ms && *from_ms > *to_ms) return error(400, "from must not be after to");
  const auto status = query_value(request, "status");
  const auto batch_id = query_value(request, "batch_id");

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
      data.push_back(bolna::execution_row(e, quirks_.trim_list_rows));
    ++total;
  }
  return json_response(200, {{"page_number", page_number},
                             {"page_size", page_size},
                             {"total", total},
                             {"has_more", page_number * page_size < total},
                             {"data", std::move(data)}});
}

Result<json> BolnaSim::create_account(const json& spec) {
  std::lock_guard lock(mutex_);
  return create_account_locked(spec);
}

Result<json> BolnaSim::create_account_locked(const json& spec) {
  if (!spec.is_object()) return make_error("bad_request", "an account is a JSON object");
  if (!spec.contains("key") || !spec["key"].is_string() || spec["key"].get<std::string>().empty())
    return make_error("bad_request", "key (the account's API key) is required");
  auto account = std::make_unique<Account>();
  account->key = spec["key"].get<std::string>();
  if (spec.contains("id") && !spec["id"].is_string()) return make_error("bad_request", "id must be a string");
  account->id = spec.value("id", std::string());
  if (account->id.empty()) account->id = ids_.uuid();
  account->name = spec.value("name", "Account " + account->id);
  account->email = spec.value("email", account->id + "@sim.example");
  if (spec.contains("wallet") && spec["wallet"].is_number()) account->wallet = spec["wallet"].get<double>();
  if (accounts_.count(account->id))
    return make_error("conflict", "account " + account->id + " already exists");
  if (account_by_key_.count(account->key))
    return make_error("conflict", "another account already uses this key");
  account_by_key_[account->key] = account->id;
  json summary = account->summary();
  accounts_[account->id] = std::move(account);
  return summary;
}

Result<json> BolnaSim::generate(const std::string& account_id, const BolnaGenerateSpec& spec) {
  std::lock_guard lock(mutex_);
  Account* account = find_account(account_id);
  if (!account) return make_error("not_found", "no account " + account_id);
  return generate_locked(*account, spec);
}

Result<json> BolnaSim::generate_locked(Account& account, const BolnaGenerateSpec& spec) {
  if (spec.agents < 0 || spec.phone_numbers < 0 || spec.batches < 0 || spec.executions < 0 || spec.days < 1)
    return make_error("bad_request", "counts must be >= 0 and days >= 1");
  // Same seed, same account, same call number: same ids and data (apart from "now").
  IdGen rng(spec.seed ^ fnv1a(account.id) ^ (account.generate_calls++ * 0x9e3779b97f4a7c15ULL));
  const std::int64_t now_ms = to_epoch_ms(clock_.now());
  const std::int64_t span_ms = spec.days * kDayMs;

  std::vector<std::string> targets;
  for (int i = 0; i < spec.agents; ++i) {
    const std::string id = rng.uuid();
    const std::string created =
        format_iso8601(from_epoch_ms(now_ms - span_ms - static_cast<std::int64_t>(rng.below(kDayMs))));
    json record = bolna::default_agent(id, created);
    record["agent_name"] = std::string(kAgentNames[(account.agents.size()) % std::size(kAgentNames)]) + " " +
                           std::to_string(account.agents.size() + 1);
    account.agents.push_back(Agent{record, {}, {}});
    targets.push_back(id);
  }
  if (targets.empty())
    for (const auto& agent : account.agents) targets.push_back(agent.id());
  if (targets.empty() && (spec.batches > 0 || spec.executions > 0))
    return make_error("bad_request", "batches and executions need agents: generate some or add them first");

  static const char* const kProviders[] = {"twilio", "plivo", "vonage"};
  for (int i = 0; i < spec.phone_numbers; ++i) {
    json record = bolna::default_phone_number(
        rng.hex(32), "+1555" + digits(rng, 7),
        now_ms - static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(span_ms))));
    record["telephony_provider"] = kProviders[i % 3];
    // The first numbers serve the agents; later ones stay unassigned, as in real accounts.
    if (static_cast<std::size_t>(i) < targets.size())
      record["agent_id"] = targets[static_cast<std::size_t>(i)];
    account.phone_numbers.push_back(record);
  }
  const std::string from_number = account.phone_numbers.empty()
                                      ? std::string("+15550000000")
                                      : account.phone_numbers.front()["phone_number"].get<std::string>();

  static const char* const kBatchStatuses[] = {"executed", "executed", "scheduled", "created", "queued"};
  int batches_created = 0;
  for (const auto& agent_id : targets) {
    Agent& agent = *account.find_agent(agent_id);
    for (int b = 0; b < spec.batches; ++b) {
      const std::int64_t created =
          now_ms - static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(span_ms)));
      json record = bolna::default_batch(rng.hex(32), format_iso8601(from_epoch_ms(created)));
      record["status"] = kBatchStatuses[rng.below(std::size(kBatchStatuses))];
      record["scheduled_at"] = format_iso8601(from_epoch_ms(created + 3'600'000));
      record["from_phone_numbers"] = json::array({from_number});
      record["file_name"] = "campaign-" + std::to_string(agent.batches.size() + 1) + ".csv";
      agent.batches.push_back(record);
      ++batches_created;
    }
  }

  for (int i = 0; i < spec.executions; ++i) {
    Agent& agent = *account.find_agent(targets[static_cast<std::size_t>(i) % targets.size()]);
    Execution e;
    e.id = rng.uuid();
    e.agent_id = agent.id();
    e.created_ms = now_ms - static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(span_ms)));
    e.status = pick_status(rng);
    const bool answered = e.status == "completed";
    e.conversation_duration = answered ? static_cast<double>(20 + rng.below(400)) : 0.0;
    e.updated_ms = e.created_ms + static_cast<std::int64_t>(e.conversation_duration * 1000) + 5000;
    e.total_cost = static_cast<double>(static_cast<long long>(e.conversation_duration * 15)) / 100.0;
    if (!agent.batches.empty() && rng.below(10) < 7) {
      json& batch = agent.batches[rng.below(agent.batches.size())];
      e.batch_id = batch["batch_id"].get<std::string>();
      json& counts = batch["execution_status"];
      counts[e.status] = counts.value(e.status, 0) + 1;
      batch["valid_contacts"] = batch.value("valid_contacts", 0) + 1;
      batch["total_contacts"] = batch.value("total_contacts", 0) + 1;
    }
    e.call_type = (e.batch_id.empty() && rng.below(5) == 0) ? "inbound" : "outbound";
    e.to_number = "+1" + std::to_string(2 + rng.below(8)) + digits(rng, 9);
    e.from_number = from_number;
    if (e.call_type == "inbound") std::swap(e.to_number, e.from_number);
    if (answered) {
      e.recording_url = "https://recordings.sim.invalid/" + e.id + ".mp3";
      e.transcript = "assistant: Hello, this is " +
                     agent.record.value("agent_name", std::string("the agent")) +
                     ".\nuser: Hi, yes, go ahead.";
    }
    account.execution_index[e.id] = {e.agent_id, e.created_ms};
    const std::pair<std::int64_t, std::string> key{e.created_ms, e.id};
    agent.executions.emplace(key, std::move(e));
  }
  return json{{"agents", spec.agents},
              {"phone_numbers", spec.phone_numbers},
              {"batches", batches_created},
              {"executions", spec.executions}};
}

http::Response BolnaSim::handle_control(const http::Request& request,
                                        const std::vector<std::string>& segments) {
  std::lock_guard lock(mutex_);
  const std::string& method = request.method;
  if (segments.size() == 1 && segments[0] == "quirks") {
    if (method == "POST" || method == "PUT" || method == "PATCH") {
      const auto body = parse_json_body(request);
      if (!body || !body->is_object())
        return control_error(400, "bad_request", "the body must be a JSON object");
      for (const auto& [name, value] : body->items()) {
        if (!value.is_boolean()) return control_error(400, "bad_request", name + " must be true or false");
        if (name == "live_errors")
          quirks_.live_errors = value.get<bool>();
        else if (name == "executions_require_window")
          quirks_.executions_require_window = value.get<bool>();
        else if (name == "trim_list_rows")
          quirks_.trim_list_rows = value.get<bool>();
        else
          return control_error(400, "bad_request", "unknown quirk " + name);
      }
    } else if (method != "GET") {
      return method_not_allowed();
    }
    return json_response(200, {{"live_errors", quirks_.live_errors},
                               {"executions_require_window", quirks_.executions_require_window},
                               {"trim_list_rows", quirks_.trim_list_rows}});
  }
  if (segments.empty() || segments[0] != "accounts")
    return control_error(404, "not_found", "no such control endpoint");
  if (segments.size() == 1) {
    if (method == "GET") {
      json list = json::array();
      for (const auto& [id, account] : accounts_) list.push_back(account->summary());
      return json_response(200, list);
    }
    if (method != "POST") return method_not_allowed();
    const auto body = parse_json_body(request);
    if (!body) return control_error(400, "bad_request", "the body must be JSON");
    auto created = create_account_locked(*body);
    if (!created) return control_error(created.error());
    return json_response(201, *created);
  }
  Account* account = find_account(segments[1]);
  if (!account) return control_error(404, "not_found", "no account " + segments[1]);
  if (segments.size() == 2 && method == "DELETE") {
    account_by_key_.erase(account->key);
    accounts_.erase(segments[1]);
    return json_response(200, {{"deleted", segments[1]}});
  }
  return control_account(request, *account, std::vector<std::string>(segments.begin() + 2, segments.end()));
}

http::Response BolnaSim::control_account(const http::Request& request, Account& account,
                                         const std::vector<std::string>& rest) {
  const std::string& method = request.method;
  const std::string now = now_iso();
  const std::size_t n = rest.size();

  if (n == 0) {
    if (method == "GET") return json_response(200, account.summary());
    if (method != "PATCH") return method_not_allowed();
    const auto body = parse_json_body(request);
    if (!body || !body->is_object())
      return control_error(400, "bad_request", "the body must be a JSON object");
    if (body->contains("key")) {
      if (!(*body)["key"].is_string() || (*body)["key"].get<std::string>().empty())
        return control_error(400, "bad_request", "key must be a non-empty string");
      const std::string key = (*body)["key"].get<std::string>();
      if (key != account.key && account_by_key_.count(key))
        return control_error(409, "conflict", "another account already uses this key");
      account_by_key_.erase(account.key);
      account.key = key;
      account_by_key_[key] = account.id;
    }
    if (body->contains("name") && (*body)["name"].is_string())
      account.name = (*body)["name"].get<std::string>();
    if (body->contains("email") && (*body)["email"].is_string())
      account.email = (*body)["email"].get<std::string>();
    if (body->contains("wallet") && (*body)["wallet"].is_number())
      account.wallet = (*body)["wallet"].get<double>();
    return json_response(200, account.summary());
  }

  if (rest[0] == "generate" && n == 1) {
    if (method != "POST") return method_not_allowed();
    const auto body = parse_json_body(request);
    if (!body || !body->is_object())
      return control_error(400, "bad_request", "the body must be a JSON object");
    bool bad = false;
    BolnaGenerateSpec spec;
    spec.agents = int_field(*body, "agents", 0, 0, 10'000, bad).value_or(0);
    spec.phone_numbers = int_field(*body, "phone_numbers", 0, 0, 10'000, bad).value_or(0);
    spec.batches = int_field(*body, "batches", 0, 0, 1'000, bad).value_or(0);
    spec.executions = int_field(*body, "executions", 0, 0, 5'000'000, bad).value_or(0);
    spec.days = int_field(*body, "days", 30, 1, 3650, bad).value_or(30);
    if (body->contains("seed")) {
      if (!(*body)["seed"].is_number_unsigned())
        bad = true;
      else
        spec.seed = (*body)["seed"].get<std::uint64_t>();
    }
    if (bad)
      return control_error(400, "bad_request",
                           "agents, phone_numbers, batches, executions are integers >= 0 (within limits), "
                           "days 1-3650, seed an unsigned integer");
    auto generated = generate_locked(account, spec);
    if (!generated) return control_error(generated.error());
    return json_response(201, *generated);
  }

  if (rest[0] == "phone_numbers") {
    if (n == 1) {
      if (method == "GET") return json_response(200, account.phone_numbers);
      if (method == "DELETE") {
        account.phone_numbers.clear();
        return json_response(200, {{"deleted", "all"}});
      }
      if (method != "POST") return method_not_allowed();
      return add_one_or_many(request, [&](const json& input) {
        return bolna::add_record(
            account.phone_numbers, "id",
            bolna::default_phone_number(ids_.hex(32), "+1555" + digits(ids_, 7), to_epoch_ms(clock_.now())),
            input);
      });
    }
    if (n != 2) return control_error(404, "not_found", "no such control endpoint");
    auto it = bolna::find_record(account.phone_numbers, "id", rest[1]);
    if (it == account.phone_numbers.end())
      return control_error(404, "not_found", "no phone number " + rest[1]);
    if (method == "GET") return json_response(200, *it);
    if (method == "DELETE") {
      account.phone_numbers.erase(it);
      return json_response(200, {{"deleted", rest[1]}});
    }
    if (method != "PATCH") return method_not_allowed();
    const auto body = parse_json_body(request);
    if (!body) return control_error(400, "bad_request", "the body must be JSON");
    auto patched = bolna::patch_record(*it, "id", *body, now);
    if (!patched) return control_error(patched.error());
    return json_response(200, *patched);
  }

  if (rest[0] != "agents") return control_error(404, "not_found", "no such control endpoint");
  if (n == 1) {
    if (method == "GET") {
      json list = json::array();
      for (const auto& agent : account.agents) list.push_back(agent.record);
      return json_response(200, list);
    }
    if (method == "DELETE") {
      account.agents.clear();
      account.execution_index.clear();
      return json_response(200, {{"deleted", "all"}});
    }
    if (method != "POST") return method_not_allowed();
    return add_one_or_many(request, [&](const json& input) -> Result<json> {
      if (!input.is_object()) return make_error("bad_request", "an agent is a JSON object");
      if (input.contains("id") && (!input["id"].is_string() || input["id"].get<std::string>().empty()))
        return make_error("bad_request", "id must be a non-empty string");
      json record =
          bolna::default_agent(input.contains("id") ? input["id"].get<std::string>() : ids_.uuid(), now);
      record.update(input);
      if (account.find_agent(record["id"].get<std::string>()))
        return make_error("conflict", "agent " + record["id"].get<std::string>() + " already exists");
      account.agents.push_back(Agent{record, {}, {}});
      return record;
    });
  }

  const auto agent_it = std::find_if(account.agents.begin(), account.agents.end(),
                                     [&](const Agent& agent) { return agent.id() == rest[1]; });
  if (agent_it == account.agents.end()) return control_error(404, "not_found", "no agent " + rest[1]);
  Agent& agent = *agent_it;
  if (n == 2) {
    if (method == "GET") return json_response(200, agent.record);
    if (method == "DELETE") {
      account.drop_executions(agent);
      account.agents.erase(agent_it);
      return json_response(200, {{"deleted", rest[1]}});
    }
    if (method != "PATCH") return method_not_allowed();
    const auto body = parse_json_body(request);
    if (!body) return control_error(400, "bad_request", "the body must be JSON");
    auto patched = bolna::patch_record(agent.record, "id", *body, now);
    if (!patched) return control_error(patched.error());
    return json_response(200, *patched);
  }

  if (rest[2] == "batches") {
    if (n == 3) {
      if (method == "GET") return json_response(200, agent.batches);
      if (method == "DELETE") {
        agent.batches.clear();
        return json_response(200, {{"deleted", "all"}});
      }
      if (method != "POST") return method_not_allowed();
      return add_one_or_many(request, [&](const json& input) {
        return bolna::add_record(agent.batches, "batch_id", bolna::default_batch(ids_.hex(32), now), input);
      });
    }
    if (n != 4) return control_error(404, "not_found", "no such control endpoint");
    auto it = bolna::find_record(agent.batches, "batch_id", rest[3]);
    if (it == agent.batches.end()) return control_error(404, "not_found", "no batch " + rest[3]);
    if (method == "GET") return json_response(200, *it);
    if (method == "DELETE") {
      agent.batches.erase(it);
      return json_response(200, {{"deleted", rest[3]}});
    }
    if (method != "PATCH") return method_not_allowed();
    const auto body = parse_json_body(request);
    if (!body) return control_error(400, "bad_request", "the body must be JSON");
    auto patched = bolna::patch_record(*it, "batch_id", *body, now);
    if (!patched) return control_error(patched.error());
    return json_response(200, *patched);
  }

  if (rest[2] != "executions") return control_error(404, "not_found", "no such control endpoint");
  if (n == 3) {
    if (method == "GET") {
      json list = json::array();
      for (const auto& [key, execution] : agent.executions) list.push_back(bolna::execution_full(execution));
      return json_response(200, list);
    }
    if (method == "DELETE") {
      account.drop_executions(agent);
      return json_response(200, {{"deleted", "all"}});
    }
    if (method != "POST") return method_not_allowed();
    return add_one_or_many(request, [&](const json& input) -> Result<json> {
      Execution base;
      base.id = ids_.uuid();
      base.agent_id = agent.id();
      base.created_ms = to_epoch_ms(clock_.now());
      base.updated_ms = base.created_ms;
      base.to_number = "+1555" + digits(ids_, 7);
      base.from_number = "+15550000000";
      if (input.is_object() && input.contains("created_at") && !input.contains("updated_at")) {
        json with_updated = input;
        with_updated["updated_at"] = input["created_at"];
        auto parsed = bolna::apply_execution_fields(with_updated, base);
        if (!parsed) return parsed.error();
        base = std::move(*parsed);
      } else {
        auto parsed = bolna::apply_execution_fields(input, base);
        if (!parsed) return parsed.error();
        base = std::move(*parsed);
      }
      if (account.execution_index.count(base.id))
        return make_error("conflict", "execution " + base.id + " already exists");
      json rendered = bolna::execution_full(base);
      account.execution_index[base.id] = {agent.id(), base.created_ms};
      const std::pair<std::int64_t, std::string> key{base.created_ms, base.id};
      agent.executions.emplace(key, std::move(base));
      return rendered;
    });
  }
  if (n != 4) return control_error(404, "not_found", "no such control endpoint");
  const auto index_it = account.execution_index.find(rest[3]);
  if (index_it == account.execution_index.end() || index_it->second.first != agent.id())
    return control_error(404, "not_found", "no execution " + rest[3] + " under agent " + agent.id());
  const auto exec_it = agent.executions.find({index_it->second.second, rest[3]});
  if (method == "GET") return json_response(200, bolna::execution_full(exec_it->second));
  if (method == "DELETE") {
    agent.executions.erase(exec_it);
    account.execution_index.erase(index_it);
    return json_response(200, {{"deleted", rest[3]}});
  }
  if (method != "PATCH") return method_not_allowed();
  const auto body = parse_json_body(request);
  if (!body) return control_error(400, "bad_request", "the body must be JSON");
  if (body->contains("id") && (*body)["id"] != rest[3])
    return control_error(400, "bad_request", "id cannot be changed");
  Execution current = exec_it->second;
  current.updated_ms = to_epoch_ms(clock_.now());
  auto patched = bolna::apply_execution_fields(*body, std::move(current));
  if (!patched) return control_error(patched.error());
  // created_at may have moved: re-key the time index.
  agent.executions.erase(exec_it);
  index_it->second.second = patched->created_ms;
  json rendered = bolna::execution_full(*patched);
  const std::pair<std::int64_t, std::string> key{patched->created_ms, patched->id};
  agent.executions.emplace(key, std::move(*patched));
  return json_response(200, rendered);
}

}  // namespace tenantsync::sim
