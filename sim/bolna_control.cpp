// The /_sim/bolna/ control API: tests and demos shape accounts, agents, phone numbers, batches and
// executions here. The route table at the end is the list of endpoints; resolve looks up the
// records a path names before any handler runs.
#include <algorithm>

#include "bolna_state.hpp"
#include "control_api.hpp"

namespace tenantsync::sim {

using bolna::Account;
using bolna::Agent;
using bolna::Call;
using bolna::Execution;
using bolna::State;
using nlohmann::json;

namespace {

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

json quirks_json(const BolnaQuirks& quirks) {
  return {{"live_errors", quirks.live_errors},
          {"executions_require_window", quirks.executions_require_window},
          {"trim_list_rows", quirks.trim_list_rows}};
}

http::Response deleted(const std::string& what) { return json_response(200, {{"deleted", what}}); }

// PATCH of a record kept as JSON (agent, phone number, batch).
http::Response patch_json_record(const http::Request& request, json& record, const char* id_field,
                                 const std::string& now) {
  const auto body = parse_json_body(request);
  if (!body) return control_error(400, "bad_request", "the body must be JSON");
  return control_answer(bolna::patch_record(record, id_field, *body, now));
}

template <class T>
void erase_element(std::vector<T>& list, const T* element) {
  list.erase(list.begin() + (element - list.data()));
}

// Phone numbers and batches are plain JSON records in a list: one set of handlers serves both.
struct PhoneNumbers {
  static constexpr const char* kIdField = "id";
  static constexpr const char* kParam = "number";
  static std::vector<json>& list(Call& call) { return call.account->phone_numbers; }
  static json defaults(State& state, const std::string&) {
    return bolna::default_phone_number(state.ids.hex(32), "+1555" + state.ids.digits(7),
                                       to_epoch_ms(state.clock.now()));
  }
};

struct Batches {
  static constexpr const char* kIdField = "batch_id";
  static constexpr const char* kParam = "batch";
  static std::vector<json>& list(Call& call) { return call.agent->batches; }
  static json defaults(State& state, const std::string& now) {
    return bolna::default_batch(state.ids.hex(32), now);
  }
};

template <class Records>
http::Response list_records(State&, Call& call) {
  return json_response(200, Records::list(call));
}

template <class Records>
http::Response add_records(State& state, Call& call) {
  const std::string now = state.now_iso();
  return add_one_or_many(
      call.request,
      [&](const json& input) {
        return bolna::add_record(Records::list(call), Records::kIdField, Records::defaults(state, now),
                                 input);
      },
      BatchErrors::numbered);
}

template <class Records>
http::Response clear_records(State&, Call& call) {
  Records::list(call).clear();
  return deleted("all");
}

http::Response get_record(State&, Call& call) { return json_response(200, *call.record); }

template <class Records>
http::Response patch_record(State& state, Call& call) {
  return patch_json_record(call.request, *call.record, Records::kIdField, state.now_iso());
}

template <class Records>
http::Response delete_record(State&, Call& call) {
  erase_element(Records::list(call), call.record);
  return deleted(call.param(Records::kParam));
}

using Resource = ControlRoutes<State, Call>::Resource;

/// The route-table entry of a list of plain records at `pattern`.
template <class Records>
Resource record_list(std::string pattern) {
  return {
      std::move(pattern),
      {{"GET", list_records<Records>}, {"POST", add_records<Records>}, {"DELETE", clear_records<Records>}}};
}

/// The route-table entry of one plain record at `pattern`.
template <class Records>
Resource one_record(std::string pattern) {
  return {std::move(pattern),
          {{"GET", get_record}, {"PATCH", patch_record<Records>}, {"DELETE", delete_record<Records>}}};
}

std::optional<http::Response> resolve(State& state, Call& call) {
  if (const std::string* id = call.find_param("account")) {
    call.account = state.find_account(*id);
    if (!call.account) return control_error(404, "not_found", "no account " + *id);
  }
  if (const std::string* id = call.find_param("number")) {
    const auto it = bolna::find_record(call.account->phone_numbers, "id", *id);
    if (it == call.account->phone_numbers.end())
      return control_error(404, "not_found", "no phone number " + *id);
    call.record = &*it;
  }
  if (const std::string* id = call.find_param("agent")) {
    call.agent = call.account->find_agent(*id);
    if (!call.agent) return control_error(404, "not_found", "no agent " + *id);
  }
  if (const std::string* id = call.find_param("batch")) {
    const auto it = bolna::find_record(call.agent->batches, "batch_id", *id);
    if (it == call.agent->batches.end()) return control_error(404, "not_found", "no batch " + *id);
    call.record = &*it;
  }
  if (const std::string* id = call.find_param("execution")) {
    const auto index_it = call.account->execution_index.find(*id);
    if (index_it == call.account->execution_index.end() || index_it->second.first != call.agent->id())
      return control_error(404, "not_found", "no execution " + *id + " under agent " + call.agent->id());
    call.execution = &call.agent->executions.find({index_it->second.second, *id})->second;
  }
  return std::nullopt;
}

http::Response get_quirks(State& state, Call&) { return json_response(200, quirks_json(state.quirks)); }

http::Response patch_quirks(State& state, Call& call) {
  const auto body = parse_json_body(call.request);
  if (!body || !body->is_object()) return control_error(400, "bad_request", "the body must be a JSON object");
  for (const auto& [name, value] : body->items()) {
    if (!value.is_boolean()) return control_error(400, "bad_request", name + " must be true or false");
    if (name == "live_errors")
      state.quirks.live_errors = value.get<bool>();
    else if (name == "executions_require_window")
      state.quirks.executions_require_window = value.get<bool>();
    else if (name == "trim_list_rows")
      state.quirks.trim_list_rows = value.get<bool>();
    else
      return control_error(400, "bad_request", "unknown quirk " + name);
  }
  return json_response(200, quirks_json(state.quirks));
}

http::Response patch_account(State& state, Call& call) {
  Account& account = *call.account;
  const auto body = object_body(call.request);
  if (!body) return control_error(body.error());
  if (body->contains("key")) {
    if (!(*body)["key"].is_string() || (*body)["key"].get<std::string>().empty())
      return control_error(400, "bad_request", "key must be a non-empty string");
    const std::string key = (*body)["key"].get<std::string>();
    if (key != account.key && state.account_by_key.count(key))
      return control_error(409, "conflict", "another account already uses this key");
    state.account_by_key.erase(account.key);
    account.key = key;
    state.account_by_key[key] = account.id;
  }
  if (body->contains("name") && (*body)["name"].is_string())
    account.name = (*body)["name"].get<std::string>();
  if (body->contains("email") && (*body)["email"].is_string())
    account.email = (*body)["email"].get<std::string>();
  if (body->contains("wallet") && (*body)["wallet"].is_number())
    account.wallet = (*body)["wallet"].get<double>();
  return json_response(200, account.summary());
}

http::Response delete_account(State& state, Call& call) {
  state.account_by_key.erase(call.account->key);
  state.accounts.erase(call.param("account"));
  return deleted(call.param("account"));
}

http::Response generate_records(State& state, Call& call) {
  const auto body = object_body(call.request);
  if (!body) return control_error(body.error());
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
  return control_answer(state.generate(*call.account, spec), 201);
}

http::Response list_agents(State&, Call& call) {
  return json_response(200,
                       json_array_of(call.account->agents, [](const Agent& agent) { return agent.record; }));
}

http::Response add_agents(State& state, Call& call) {
  Account& account = *call.account;
  const std::string now = state.now_iso();
  return add_one_or_many(
      call.request,
      [&](const json& input) -> Result<json> {
        if (!input.is_object()) return make_error("bad_request", "an agent is a JSON object");
        if (input.contains("id") && (!input["id"].is_string() || input["id"].get<std::string>().empty()))
          return make_error("bad_request", "id must be a non-empty string");
        json record = bolna::default_agent(
            input.contains("id") ? input["id"].get<std::string>() : state.ids.uuid(), now);
        record.update(input);
        if (account.find_agent(record["id"].get<std::string>()))
          return make_error("conflict", "agent " + record["id"].get<std::string>() + " already exists");
        account.agents.push_back(Agent{record, {}, {}});
        return record;
      },
      BatchErrors::numbered);
}

http::Response delete_agents(State&, Call& call) {
  call.account->agents.clear();
  call.account->execution_index.clear();
  return deleted("all");
}

http::Response get_agent(State&, Call& call) { return json_response(200, call.agent->record); }

http::Response patch_agent(State& state, Call& call) {
  return patch_json_record(call.request, call.agent->record, "id", state.now_iso());
}

http::Response delete_agent(State&, Call& call) {
  call.account->drop_executions(*call.agent);
  erase_element(call.account->agents, call.agent);
  return deleted(call.param("agent"));
}

http::Response list_executions(State&, Call& call) {
  return json_response(200, json_array_of(call.agent->executions, [](const auto& entry) {
                         return bolna::execution_full(entry.second);
                       }));
}

http::Response add_executions(State& state, Call& call) {
  Account& account = *call.account;
  Agent& agent = *call.agent;
  return add_one_or_many(
      call.request,
      [&](const json& input) -> Result<json> {
        Execution base;
        base.id = state.ids.uuid();
        base.agent_id = agent.id();
        base.created_ms = to_epoch_ms(state.clock.now());
        base.updated_ms = base.created_ms;
        base.to_number = "+1555" + state.ids.digits(7);
        base.from_number = "+15550000000";
        // A new execution's updated_at defaults to its created_at.
        json fields = input;
        if (input.is_object() && input.contains("created_at") && !input.contains("updated_at"))
          fields["updated_at"] = input["created_at"];
        auto parsed = bolna::apply_execution_fields(fields, base);
        if (!parsed) return parsed.error();
        if (account.execution_index.count(parsed->id))
          return make_error("conflict", "execution " + parsed->id + " already exists");
        json rendered = bolna::execution_full(*parsed);
        account.add_execution(agent, std::move(*parsed));
        return rendered;
      },
      BatchErrors::numbered);
}

http::Response delete_executions(State&, Call& call) {
  call.account->drop_executions(*call.agent);
  return deleted("all");
}

http::Response get_execution(State&, Call& call) {
  return json_response(200, bolna::execution_full(*call.execution));
}

http::Response patch_execution(State& state, Call& call) {
  const std::string& id = call.param("execution");
  const auto body = parse_json_body(call.request);
  if (!body) return control_error(400, "bad_request", "the body must be JSON");
  if (body->contains("id") && (*body)["id"] != id)
    return control_error(400, "bad_request", "id cannot be changed");
  Execution current = *call.execution;
  current.updated_ms = to_epoch_ms(state.clock.now());
  auto patched = bolna::apply_execution_fields(*body, std::move(current));
  if (!patched) return control_error(patched.error());
  // created_at may have moved: re-key the time index.
  call.agent->executions.erase({call.account->execution_index.at(id).second, id});
  json rendered = bolna::execution_full(*patched);
  call.account->add_execution(*call.agent, std::move(*patched));
  return json_response(200, rendered);
}

http::Response delete_execution(State&, Call& call) {
  const std::string& id = call.param("execution");
  call.agent->executions.erase({call.account->execution_index.at(id).second, id});
  call.account->execution_index.erase(id);
  return deleted(id);
}

}  // namespace

std::optional<http::Response> bolna::serve_control(State& state, const http::Request& request) {
  static const ControlRoutes<State, Call> kRoutes{
      {"/_sim/bolna/quirks",
       {{"GET", get_quirks}, {"POST", patch_quirks}, {"PUT", patch_quirks}, {"PATCH", patch_quirks}}},
      {"/_sim/bolna/accounts",
       {{"GET", list_summaries<&State::accounts>}, {"POST", create_from_body<&State::create_account>}}},
      {"/_sim/bolna/accounts/{account}",
       {{"GET", get_summary<&Call::account>}, {"PATCH", patch_account}, {"DELETE", delete_account}}},
      {"/_sim/bolna/accounts/{account}/generate", {{"POST", generate_records}}},
      record_list<PhoneNumbers>("/_sim/bolna/accounts/{account}/phone_numbers"),
      one_record<PhoneNumbers>("/_sim/bolna/accounts/{account}/phone_numbers/{number}"),
      {"/_sim/bolna/accounts/{account}/agents",
       {{"GET", list_agents}, {"POST", add_agents}, {"DELETE", delete_agents}}},
      {"/_sim/bolna/accounts/{account}/agents/{agent}",
       {{"GET", get_agent}, {"PATCH", patch_agent}, {"DELETE", delete_agent}}},
      record_list<Batches>("/_sim/bolna/accounts/{account}/agents/{agent}/batches"),
      one_record<Batches>("/_sim/bolna/accounts/{account}/agents/{agent}/batches/{batch}"),
      {"/_sim/bolna/accounts/{account}/agents/{agent}/executions",
       {{"GET", list_executions}, {"POST", add_executions}, {"DELETE", delete_executions}}},
      {"/_sim/bolna/accounts/{account}/agents/{agent}/calls", {{"POST", bolna::start_call}}},
      {"/_sim/bolna/webhooks", {{"GET", bolna::webhook_totals}}},
      {"/_sim/bolna/accounts/{account}/agents/{agent}/executions/{execution}",
       {{"GET", get_execution}, {"PATCH", patch_execution}, {"DELETE", delete_execution}}},
  };
  std::lock_guard lock(state.mutex);
  return dispatch_control(state, kRoutes, resolve, request);
}

}  // namespace tenantsync::sim
