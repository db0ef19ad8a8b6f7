#include "service/agent_webhooks.hpp"

#include <spdlog/spdlog.h>

#include "service/errors.hpp"
#include "sync/voice_run.hpp"
#include "upstream/voice/bolna_records.hpp"

namespace tenantsync::service {
namespace {

// A URL this server handed out, whatever its token: a stale one (before a rotation) is ours to
// replace or remove, another host's is not.
bool is_ours(const std::string& url, const std::string& current) {
  constexpr std::string_view kHookPath = "/hooks/bolna/";
  const auto path = current.find(kHookPath);
  return path != std::string::npos && url.starts_with(current.substr(0, path + kHookPath.size()));
}

// What to do with an agent whose webhook_url is `previous`: the outcome, and whether to send it.
std::pair<std::string, bool> plan(const std::string& previous, const std::string& url,
                                  const AgentWebhookChange& change) {
  if (change.enabled) {
    if (previous == url) return {"already_set", false};
    if (previous.empty() || is_ours(previous, url)) return {"set", true};
    return change.replace_others ? std::pair{std::string("replaced"), true} : std::pair{std::string("kept_other"), false};
  }
  if (previous.empty()) return {"not_set", false};
  if (is_ours(previous, url)) return {"cleared", true};
  return {"kept_other", false};
}

void count(AgentWebhookReport& report, const std::string& outcome) {
  if (outcome == "set" || outcome == "replaced" || outcome == "cleared")
    ++report.changed;
  else if (outcome == "already_set" || outcome == "not_set")
    ++report.unchanged;
  else if (outcome == "kept_other")
    ++report.kept_other;
  else
    ++report.failed;
}

}  // namespace

AgentWebhookService::AgentWebhookService(store::SettingsStore& settings, const crypto::SecretBox& secrets,
                                         sync::Connectors& connectors, HookService& hooks, const Clock& clock)
    : settings_(settings), secrets_(secrets), connectors_(connectors), hooks_(hooks), clock_(clock) {}

Result<AgentWebhookReport> AgentWebhookService::point_agents(TenantId tenant_id, const AgentWebhookChange& change,
                                                             const std::string& host) {
  auto settings = settings_.get_settings(tenant_id);
  if (!settings.ok()) return settings.error();
  if (settings->voice_api_key_cipher.empty())
    return invalid("Save a voice API key first: the agents are changed through the voice platform's API.");
  auto key = secrets_.open(settings->voice_api_key_cipher);
  if (!key.ok()) return key.error();
  auto url = hooks_.call_webhook_url(tenant_id, host);
  if (!url.ok()) return url.error();

  // Checks' clients (one try each, a short budget): the platform is the tenant's choice and a
  // person waits. The listing is the platform's, not the mirror's: an agent made since the last
  // sync is changed too.
  const sync::VoiceEndpoint endpoint = sync::voice_endpoint(connectors_, settings->voice_base_url, *key);
  auto agents = connectors_.voice_check(endpoint)->list_agents();
  if (!agents.ok()) return agents.error();

  AgentWebhookReport report;
  report.call_webhook_url = *url;
  report.enabled = change.enabled;
  const TimePoint deadline = clock_.now() + kTimeLimit;
  for (std::size_t i = 0; i < agents->records.size(); ++i) {
    const upstream::VoiceRecord& agent = agents->records[i];
    AgentWebhookOutcome out{agent.upstream_id, agent.name, "", "", ""};
    const std::string previous = upstream::bolna::agent_webhook_url(agent.raw_json);
    auto [outcome, send] = plan(previous, *url, change);
    out.outcome = outcome;
    if (outcome == "kept_other" || outcome == "replaced") out.previous_url = previous;
    if (send && (i >= kMaxAgents || clock_.now() > deadline)) {
      out.outcome = "failed";
      out.message = "Not tried: this request reached its limit of agents or time; run it again to go on.";
    } else if (send) {
      const std::optional<std::string> next = change.enabled ? std::optional(*url) : std::nullopt;
      if (auto sent = connectors_.voice_check(endpoint)->set_agent_webhook(agent.upstream_id, next); !sent.ok()) {
        out.outcome = "failed";
        out.message = sent.error().message;
      }
    }
    count(report, out.outcome);
    report.agents.push_back(std::move(out));
  }
  spdlog::info("event=agent_webhooks_pointed tenant_id={} enabled={} agents={} changed={} kept_other={} failed={}",
               tenant_id, change.enabled, report.agents.size(), report.changed, report.kept_other, report.failed);
  return report;
}

}  // namespace tenantsync::service
