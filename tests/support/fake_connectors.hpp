#pragma once
// In-memory voice platforms for unit tests of the engine and the API: accounts by API key,
// their records, and errors to return per call. (Black-box tests use tenantsync-sim instead.)
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sync/connectors.hpp"

namespace tenantsync::sync::test {

struct FakeVoiceAccount {
  upstream::VoiceAccount account;
  std::vector<upstream::VoiceRecord> agents;
  std::vector<upstream::VoiceRecord> phone_numbers;
  std::map<std::string, std::vector<upstream::VoiceRecord>> batches;     ///< by agent id
  std::map<std::string, std::vector<upstream::VoiceRecord>> executions;  ///< by agent id
  std::map<std::string, upstream::ExecutionDetail> details;  ///< by execution id
  /// by call: "account", "agents", "phone_numbers", "batches", "executions", "execution"; or one
  /// agent's batches or executions: "batches:<agent id>", "executions:<agent id>"
  std::map<std::string, Error> errors;
  /// Called at each call before it answers (a test can hold a run inside an upstream call).
  std::function<void(const std::string& call)> on_call;
  /// Agents' webhook URLs set through set_agent_webhook, by agent id; shared by every client of
  /// the account, and listed in the agents' raw_json.
  std::shared_ptr<std::map<std::string, std::string>> webhook_urls =
      std::make_shared<std::map<std::string, std::string>>();
};

/// A record with just enough fields; the hash changes with name and status.
inline upstream::VoiceRecord fake_record(const std::string& id, const std::string& name,
                                         const std::string& agent_id = "", std::int64_t created_at_ms = 0,
                                         const std::string& status = "") {
  upstream::VoiceRecord r;
  r.upstream_id = id;
  r.name = name;
  r.agent_id = agent_id;
  r.status = status;
  r.created_at_ms = created_at_ms;
  r.fields_json = "{\"name\":\"" + name + "\"}";
  r.raw_json = r.fields_json;
  r.content_hash = std::to_string(std::hash<std::string>{}(name + "|" + status));
  return r;
}

class FakeVoiceClient final : public upstream::VoiceClient {
 public:
  FakeVoiceClient(std::optional<FakeVoiceAccount> account, std::vector<std::string>* calls)
      : account_(std::move(account)), calls_(calls) {}

  Result<upstream::VoiceAccount> get_account() override {
    if (auto e = fail("account")) return *e;
    return account_->account;
  }
  Result<upstream::VoiceListing> list_agents() override {
    auto agents = account_ ? account_->agents : none();
    for (auto& agent : agents) {
      if (auto url = account_->webhook_urls->find(agent.upstream_id); url != account_->webhook_urls->end())
        agent.raw_json = nlohmann::json{{"id", agent.upstream_id}, {"webhook_url", url->second}}.dump();
    }
    return listing("agents", std::move(agents));
  }
  Result<upstream::VoiceListing> list_phone_numbers() override {
    return listing("phone_numbers", account_ ? account_->phone_numbers : none());
  }
  Result<upstream::VoiceListing> list_batches(const std::string& agent_id) override {
    return listing("batches", account_ ? account_->batches[agent_id] : none(), agent_id);
  }
  Status list_executions(const std::string& agent_id, TimePoint from, TimePoint to,
                         const upstream::PageCallback& on_page) override {
    if (auto e = fail("executions", agent_id)) return *e;
    upstream::VoiceListing page;
    for (const auto& r : account_->executions[agent_id]) {
      const auto at = from_epoch_ms(r.created_at_ms);
      if (at >= from && at <= to) page.records.push_back(r);
    }
    return on_page(std::move(page), 1);
  }
  Result<upstream::ExecutionDetail> get_execution(const std::string& execution_id) override {
    if (auto e = fail("execution")) return *e;
    auto found = account_->details.find(execution_id);
    if (found == account_->details.end())
      return make_error(core::ErrorCode::upstream_not_found, "No execution " + execution_id + ".");
    return found->second;
  }
  Status set_agent_webhook(const std::string& agent_id, const std::optional<std::string>& url) override {
    if (auto e = fail("set_webhook", agent_id)) return *e;
    if (url)
      (*account_->webhook_urls)[agent_id] = *url;
    else
      account_->webhook_urls->erase(agent_id);
    return {};
  }

 private:
  static std::vector<upstream::VoiceRecord> none() { return {}; }
  std::optional<Error> fail(const std::string& call, const std::string& agent_id = "") {
    if (calls_) calls_->push_back(call);
    if (!account_) return make_error(core::ErrorCode::key_rejected, "Invalid API key");
    if (account_->on_call) account_->on_call(call);
    if (auto found = account_->errors.find(call); found != account_->errors.end()) return found->second;
    if (agent_id.empty()) return std::nullopt;
    if (auto found = account_->errors.find(call + ":" + agent_id); found != account_->errors.end())
      return found->second;
    return std::nullopt;
  }
  Result<upstream::VoiceListing> listing(const std::string& call, std::vector<upstream::VoiceRecord> records,
                                         const std::string& agent_id = "") {
    if (auto e = fail(call, agent_id)) return *e;
    upstream::VoiceListing out;
    out.records = std::move(records);
    return out;
  }

  std::optional<FakeVoiceAccount> account_;
  std::vector<std::string>* calls_;
};

/// Accounts by API key; an unknown key is rejected like Bolna does (401 → key_rejected).
class FakeConnectors final : public Connectors {
 public:
  std::unique_ptr<upstream::VoiceClient> voice(const VoiceEndpoint& endpoint, WaitObserver) override {
    std::lock_guard lock(mutex_);
    auto found = accounts.find(endpoint.api_key);
    return std::make_unique<FakeVoiceClient>(
        found == accounts.end() ? std::nullopt : std::optional<FakeVoiceAccount>(found->second), &calls);
  }
  std::string default_voice_base_url() const override { return "https://voice.fake"; }
  const upstream::OutboundPolicy& outbound_policy() const override { return policy; }
  /// CRM connections are tested against tenantsync-sim (tests/functional), not here.
  Result<std::unique_ptr<CrmSession>> crm(const store::CrmConnection&, const std::string&,
                                          WaitObserver) override {
    return make_error(core::ErrorCode::credentials_rejected, "The fake connectors have no CRM.");
  }

  std::map<std::string, FakeVoiceAccount> accounts;  ///< set before the engine runs
  upstream::OutboundPolicy policy;                   ///< the production default: public https only
  std::vector<std::string> calls;

 private:
  std::mutex mutex_;
};

}  // namespace tenantsync::sync::test
