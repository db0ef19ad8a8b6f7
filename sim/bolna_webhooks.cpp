// The simulated Bolna's call webhooks: POST /_sim/bolna/accounts/{account}/agents/{agent}/calls
// starts a call that moves queued → in-progress → completed (delays set in the body), and at every
// status change the execution's payload is POSTed to the agent's webhook_url, as Bolna does. The
// sending is loopback_webhooks.hpp's (loopback addresses only).
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

// Bolna keeps the URL in the agent's config; some agents carry it at the top.
std::string webhook_url_of(const json& agent) {
  if (agent.contains("webhook_url") && agent["webhook_url"].is_string()) return agent["webhook_url"].get<std::string>();
  if (agent.contains("agent_config") && agent["agent_config"].is_object()) {
    const json& config = agent["agent_config"];
    if (config.contains("webhook_url") && config["webhook_url"].is_string())
      return config["webhook_url"].get<std::string>();
  }
  return {};
}

struct CallPlan {
  std::string account_id;
  std::string agent_id;
  std::string execution_id;
  int copies = 1;     ///< the duplicates fault sends each delivery twice
  int attempts = 3;   ///< tries per delivery until a 2xx
};

// One status change of a running call: applied to the execution under the state's lock, then
// handed to the sender as a delivery (none when the call or its agent is gone, or no URL is set).
WebhookSender::Step status_step(State& state, CallPlan plan, std::string status, json fields) {
  return [&state, plan = std::move(plan), status = std::move(status), fields = std::move(fields)] {
    std::vector<WebhookDelivery> out;
    std::lock_guard lock(state.mutex);
    Account* account = state.find_account(plan.account_id);
    if (!account) return out;
    Agent* agent = account->find_agent(plan.agent_id);
    const auto indexed = account->execution_index.find(plan.execution_id);
    if (!agent || indexed == account->execution_index.end()) return out;
    const auto it = agent->executions.find({indexed->second.second, plan.execution_id});
    if (it == agent->executions.end()) return out;
    Execution& e = it->second;
    if (!status.empty()) {
      json patch = fields;
      patch["status"] = status;
      auto patched = bolna::apply_execution_fields(patch, e);
      if (patched) e = std::move(*patched);
      e.updated_ms = std::max(e.updated_ms + 1, to_epoch_ms(state.clock.now()));
    }
    const std::string url = webhook_url_of(agent->record);
    if (url.empty()) return out;
    WebhookDelivery d{url, {{"User-Agent", "Bolna-Webhook/sim"}}, bolna::execution_full(e).dump(), plan.attempts};
    for (int i = 0; i < plan.copies; ++i) out.push_back(d);
    return out;
  };
}

std::optional<int> delay_field(const json& body, const char* name, int fallback) {
  if (!body.contains(name)) return fallback;
  if (!body[name].is_number_integer()) return std::nullopt;
  const auto v = body[name].get<long long>();
  if (v < 0 || v > 600'000) return std::nullopt;
  return static_cast<int>(v);
}

}  // namespace

http::Response bolna::start_call(State& state, Call& call) {
  const auto body = object_body(call.request);
  if (!body) return control_error(body.error());
  const auto in_progress_ms = delay_field(*body, "in_progress_after_ms", 100);
  const auto completed_ms = delay_field(*body, "completed_after_ms", 300);
  if (!in_progress_ms || !completed_ms || *completed_ms < *in_progress_ms)
    return control_error(400, "bad_request",
                         "in_progress_after_ms and completed_after_ms are integers 0-600000, completed not before "
                         "in-progress");
  Execution e;
  e.id = body->contains("id") && (*body)["id"].is_string() ? (*body)["id"].get<std::string>() : state.ids.uuid();
  if (call.account->execution_index.count(e.id))
    return control_error(409, "conflict", "execution " + e.id + " already exists");
  e.agent_id = call.agent->id();
  e.status = "queued";
  e.created_ms = to_epoch_ms(state.clock.now());
  e.updated_ms = e.created_ms;
  e.to_number = body->value("to_number", "+1555" + state.ids.digits(7));
  e.from_number = body->value("from_number", std::string("+15550000000"));
  e.conversation_duration = 0;
  e.total_cost = 0;

  CallPlan plan{call.account->id, e.agent_id, e.id, body->value("duplicates", false) ? 2 : 1,
                body->value("attempts", 3)};
  if (plan.attempts < 1 || plan.attempts > 10) plan.attempts = 3;
  const json completed_fields = {{"conversation_duration", body->value("conversation_duration", 42.0)},
                                 {"total_cost", body->value("total_cost", 0.12)},
                                 {"transcript", body->value("transcript", std::string("assistant: Hello!"))}};
  json rendered = bolna::execution_full(e);
  call.account->add_execution(*call.agent, std::move(e));

  const bool out_of_order = body->value("out_of_order", false);
  state.webhooks.schedule(std::chrono::milliseconds(0), status_step(state, plan, "", json::object()));
  state.webhooks.schedule(std::chrono::milliseconds(*in_progress_ms),
                          status_step(state, plan, "in-progress", json::object()));
  state.webhooks.schedule(std::chrono::milliseconds(*completed_ms),
                          status_step(state, plan, "completed", completed_fields));
  if (out_of_order) {
    // A late copy of the in-progress payload after completion: the receiver must keep "completed".
    const std::string url = webhook_url_of(call.agent->record);
    json late = rendered;
    late["status"] = "in-progress";
    if (!url.empty())
      state.webhooks.send(std::chrono::milliseconds(*completed_ms + 200),
                          WebhookDelivery{url, {}, late.dump(), plan.attempts});
  }
  return json_response(201, rendered);
}

http::Response bolna::webhook_totals(State& state, Call&) {
  const auto t = state.webhooks.totals();
  return json_response(200, {{"sent", t.sent}, {"failed", t.failed}, {"pending", t.pending}});
}

}  // namespace tenantsync::sim
