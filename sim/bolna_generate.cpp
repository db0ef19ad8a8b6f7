// Generated Bolna data: agents, phone numbers, batches and executions that look like a real
// account's, the same for the same seed.
#include <iterator>

#include "bolna_state.hpp"
#include "core/time_format.hpp"

namespace tenantsync::sim {

using bolna::Account;
using bolna::Agent;
using bolna::Execution;
using bolna::kDayMs;
using nlohmann::json;

namespace {

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

}  // namespace

Result<json> BolnaSim::generate(const std::string& account_id, const BolnaGenerateSpec& spec) {
  std::lock_guard lock(state_->mutex);
  bolna::Account* account = state_->find_account(account_id);
  if (!account) return make_error("not_found", "no account " + account_id);
  return state_->generate(*account, spec);
}

Result<json> bolna::State::generate(Account& account, const BolnaGenerateSpec& spec) {
  if (spec.agents < 0 || spec.phone_numbers < 0 || spec.batches < 0 || spec.executions < 0 || spec.days < 1)
    return make_error("bad_request", "counts must be >= 0 and days >= 1");
  // Same seed, same account, same call number: same ids and data (apart from "now").
  IdGen rng(spec.seed ^ fnv1a(account.id) ^ (account.generate_calls++ * 0x9e3779b97f4a7c15ULL));
  const std::int64_t now_ms = to_epoch_ms(clock.now());
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
        rng.hex(32), "+1555" + rng.digits(7),
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
    e.to_number = "+1" + std::to_string(2 + rng.below(8)) + rng.digits(9);
    e.from_number = from_number;
    if (e.call_type == "inbound") std::swap(e.to_number, e.from_number);
    if (answered) {
      e.recording_url = "https://recordings.sim.invalid/" + e.id + ".mp3";
      e.transcript = "assistant: Hello, this is " +
                     agent.record.value("agent_name", std::string("the agent")) +
                     ".\nuser: Hi, yes, go ahead.";
      // What the live API adds to a finished call's detail (GET /executions/{id}).
      const double cost = e.total_cost;
      e.extra = {
          {"cost_breakdown",
           {{"llm", cost * 0.4},
            {"network", cost * 0.1},
            {"platform", cost * 0.2},
            {"synthesizer", cost * 0.2},
            {"transcriber", cost * 0.1}}},
          {"extracted_data", {{"interested", rng.below(2) == 0}, {"callback_requested", rng.below(4) == 0}}}};
    }
    account.add_execution(agent, std::move(e));
  }
  return json{{"agents", spec.agents},
              {"phone_numbers", spec.phone_numbers},
              {"batches", batches_created},
              {"executions", spec.executions}};
}

}  // namespace tenantsync::sim
