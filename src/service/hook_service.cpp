#include "service/hook_service.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <map>
#include <nlohmann/json.hpp>

#include "core/json_depth.hpp"
#include "core/log_text.hpp"
#include "crypto/hubspot_signature.hpp"
#include "sync/hubspot_events_json.hpp"
#include "upstream/voice/bolna_records.hpp"

namespace tenantsync::service {
namespace {

using Json = nlohmann::json;

Error too_large(std::size_t limit) {
  return make_error(core::ErrorCode::payload_too_large,
                    fmt::format("A webhook body may be at most {} bytes.", limit));
}

std::optional<std::int64_t> parse_ms(const std::string& text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

}  // namespace

std::string HookCounters::render() const {
  std::string out =
      "# HELP tenantsync_webhook_events_total Webhooks received from the upstreams, by outcome.\n"
      "# TYPE tenantsync_webhook_events_total counter\n";
  const auto line = [&out](const char* source, const char* outcome, const std::atomic<std::uint64_t>& value) {
    out += fmt::format("tenantsync_webhook_events_total{{source=\"{}\",outcome=\"{}\"}} {}\n", source, outcome,
                       value.load());
  };
  line("bolna", "applied", bolna_applied);
  line("bolna", "unchanged", bolna_unchanged);
  line("bolna", "unknown_token", bolna_unknown_token);
  line("bolna", "rejected", bolna_rejected);
  line("bolna", "bad_body", bolna_bad_body);
  line("hubspot", "queued", hubspot_queued);
  line("hubspot", "duplicate", hubspot_duplicates);
  line("hubspot", "bad_signature", hubspot_bad_signature);
  line("hubspot", "bad_body", hubspot_bad_body);
  line("hubspot", "unknown_portal", hubspot_unknown_portal);
  line("hubspot", "over_limit", hubspot_over_limit);
  line("hubspot", "resync", hubspot_resyncs);
  return out;
}

HookService::HookService(store::HookStore& hooks, store::SettingsStore& settings, store::CrmConnectionStore& crm,
                         const crypto::SecretBox& secrets, const Clock& clock, SyncRuns& syncs,
                         HookOptions options, sync::EventBus* events)
    : hooks_(hooks),
      settings_(settings),
      crm_(crm),
      secrets_(secrets),
      clock_(clock),
      syncs_(syncs),
      options_(std::move(options)),
      events_(events) {
  while (!options_.public_url.empty() && options_.public_url.back() == '/') options_.public_url.pop_back();
}

std::string HookService::base_url(const std::string& host) const {
  return options_.public_url.empty() ? "http://" + host : options_.public_url;
}

Result<std::string> HookService::call_webhook_url(TenantId tenant_id, const std::string& host) {
  auto sealed = hooks_.get_hook_token_cipher(tenant_id);
  if (!sealed.ok()) return sealed.error();
  if (!sealed->has_value()) return rotate_token(tenant_id, host);
  auto token = secrets_.open(**sealed);
  if (!token.ok()) return token.error();
  return base_url(host) + "/hooks/bolna/" + *token;
}

Result<std::string> HookService::rotate_token(TenantId tenant_id, const std::string& host) {
  const std::string token = crypto::new_token();
  if (Status s = hooks_.put_hook_token(tenant_id, crypto::hash_token(token), secrets_.seal(token), clock_.now());
      !s.ok())
    return s.error();
  spdlog::info("event=hook_token_rotated tenant_id={}", tenant_id);
  return base_url(host) + "/hooks/bolna/" + token;
}

Result<BolnaReceipt> HookService::receive_bolna(const std::string& token, const std::string& body) {
  // The token is looked up by its SHA-256: the database compares digests, never the token, so the
  // time a look-up takes says nothing about how much of a guess was right.
  auto tenant = hooks_.find_hook_tenant(crypto::hash_token(token));
  if (!tenant.ok()) return tenant.error();
  if (!tenant->has_value()) {
    ++counters_.bolna_unknown_token;
    spdlog::warn("event=bolna_hook_refused reason=unknown_token");
    return make_error(core::ErrorCode::not_found, "No tenant has this call-webhook URL.");
  }
  const TenantId tenant_id = **tenant;
  const auto refuse = [&](std::atomic<std::uint64_t>& counter, const Error& error) -> Error {
    ++counter;
    spdlog::warn("event=bolna_hook_refused tenant_id={} code={} message={}", tenant_id,
                 core::to_string(error.code), core::log_value(error.message));
    return error;
  };
  if (body.size() > options_.max_body_bytes) return refuse(counters_.bolna_bad_body, too_large(options_.max_body_bytes));
  if (!core::json_depth_within(body))
    return refuse(counters_.bolna_bad_body, make_error(core::ErrorCode::malformed_json, "The body nests too deeply."));
  const Json root = Json::parse(body, nullptr, false);
  if (root.is_discarded() || !root.is_object())
    return refuse(counters_.bolna_bad_body,
                  make_error(core::ErrorCode::malformed_json, "The body must be one execution, a JSON object."));
  // The same reader as a sync's listing, so a pushed execution is stored exactly as a polled one.
  auto page = upstream::bolna::parse_execution_page("[" + body + "]", "");
  if (!page.ok() || page->listing.records.size() != 1 || page->listing.records.front().agent_id.empty())
    return refuse(counters_.bolna_bad_body,
                  make_error(core::ErrorCode::malformed_json, "The execution has no id or no agent_id."));
  upstream::VoiceRecord r = std::move(page->listing.records.front());

  auto settings = settings_.get_settings(tenant_id);
  if (!settings.ok()) return settings.error();
  if (settings->voice_account_id.empty())
    return refuse(counters_.bolna_rejected,
                  make_error(core::ErrorCode::validation_failed, "The tenant has no voice-platform key saved."));
  // Only the current account's agents: a call of an agent the mirror holds under another account
  // (or not at all) is refused; the next poll brings in a new agent, and its calls with it.
  auto known = hooks_.has_active_agent(tenant_id, settings->voice_account_id, r.agent_id);
  if (!known.ok()) return known.error();
  if (!*known)
    return refuse(counters_.bolna_rejected,
                  make_error(core::ErrorCode::validation_failed,
                             "Agent " + r.agent_id + " is not an agent of the tenant's current account."));

  core::UpstreamRecord record{std::move(r.upstream_id), std::move(r.name),        std::move(r.status),
                              std::move(r.agent_id),    std::move(r.batch_id),    r.created_at_ms,
                              r.updated_at_ms,          std::move(r.fields_json), std::move(r.raw_json),
                              std::move(r.content_hash)};
  auto written = hooks_.upsert_pushed_execution(tenant_id, settings->voice_account_id, record,
                                                settings->default_region, clock_.now());
  if (!written.ok()) return written.error();
  BolnaReceipt receipt{record.upstream_id, ""};
  switch (*written) {
    case store::PushedWrite::created: receipt.outcome = "created"; break;
    case store::PushedWrite::updated: receipt.outcome = "updated"; break;
    case store::PushedWrite::unchanged: receipt.outcome = "unchanged"; break;
    case store::PushedWrite::stale: receipt.outcome = "stale"; break;
  }
  if (*written == store::PushedWrite::created || *written == store::PushedWrite::updated) {
    ++counters_.bolna_applied;
    // Open call logs reload at once: the change is in the dashboard within the second, no poll.
    if (events_)
      events_->publish(tenant_id, "executions.changed",
                       Json{{"execution_id", receipt.execution_id}, {"outcome", receipt.outcome}, {"status", record.status}}
                           .dump());
  } else {
    ++counters_.bolna_unchanged;
  }
  return receipt;
}

Status HookService::check_signature(const HubspotSignedRequest& request) {
  const auto refuse = [this](const std::string& why) -> Error {
    ++counters_.hubspot_bad_signature;
    spdlog::warn("event=hubspot_hook_refused reason={}", core::log_value(why));
    return make_error(core::ErrorCode::unauthorized, "The HubSpot signature was refused: " + why + ".");
  };
  const auto sent_ms = parse_ms(request.timestamp);
  if (!sent_ms) return refuse("X-HubSpot-Request-Timestamp is missing or not a number");
  const std::int64_t age = to_epoch_ms(clock_.now()) - *sent_ms;
  if (age > options_.signature_window.count() || -age > options_.signature_window.count())
    return refuse("the timestamp is outside the 5-minute window");
  if (request.signature.empty()) return refuse("X-HubSpot-Signature-v3 is missing");
  const std::string expected =
      crypto::hubspot_signature_v3(options_.hubspot_client_secret, request.method,
                                   base_url(request.host) + request.target, request.body, request.timestamp);
  if (!crypto::constant_time_equal(expected, request.signature)) return refuse("the signature does not match");
  return {};
}

Result<HubspotReceipt> HookService::receive_hubspot(const HubspotSignedRequest& request) {
  if (options_.hubspot_client_secret.empty())
    return make_error(core::ErrorCode::not_found,
                      "HubSpot webhooks are off: the server has no TENANTSYNC_HUBSPOT_CLIENT_SECRET.");
  if (request.body.size() > options_.max_body_bytes) {
    ++counters_.hubspot_bad_body;
    return too_large(options_.max_body_bytes);
  }
  // Nothing of an unsigned body is read: the signature first.
  if (Status s = check_signature(request); !s.ok()) return s.error();
  auto parsed = sync::parse_hubspot_webhook(request.body);
  if (!parsed.ok()) {
    ++counters_.hubspot_bad_body;
    spdlog::warn("event=hubspot_hook_refused code={} message={}", core::to_string(parsed.error().code),
                 core::log_value(parsed.error().message));
    return parsed.error();
  }
  HubspotReceipt receipt;
  receipt.ignored = parsed->ignored;

  std::map<std::string, std::vector<store::HubspotEvent>> by_portal;
  for (auto& e : parsed->events) by_portal[e.portal_id].push_back(std::move(e.event));
  auto connections = crm_.list_active_crm_connections();
  if (!connections.ok()) return connections.error();
  for (const auto& [portal, events] : by_portal) {
    bool known = false;
    for (const store::CrmConnection& c : *connections) {
      if (c.provider != core::CrmProvider::hubspot || c.provider_account_id != portal) continue;
      known = true;
      auto queued = hooks_.enqueue_hubspot_events(c.tenant_id, c.id, events, options_.tenant_max_pending_events,
                                                  clock_.now());
      if (!queued.ok()) return queued.error();
      receipt.queued += queued->queued;
      receipt.duplicates += queued->duplicates;
      receipt.over_limit += queued->over_limit;
      if (queued->over_limit > 0) {
        // Nothing is lost: the connection's own sync reads every change since its checkpoint.
        spdlog::warn("event=hubspot_queue_full tenant_id={} connection_id={} dropped={}", c.tenant_id, c.id,
                     queued->over_limit);
        if (syncs_.available()) {
          auto run = syncs_.request(c.tenant_id, core::RunTarget::crm(c.id), core::RunTrigger::schedule);
          if (run.ok()) ++counters_.hubspot_resyncs;
        }
      }
    }
    if (!known) {
      receipt.unknown_portal += static_cast<int>(events.size());
      spdlog::info("event=hubspot_hook_unknown_portal portal_id={} events={}", core::log_value(portal),
                   events.size());
    }
  }
  counters_.hubspot_queued += receipt.queued;
  counters_.hubspot_duplicates += receipt.duplicates;
  counters_.hubspot_unknown_portal += receipt.unknown_portal;
  counters_.hubspot_over_limit += receipt.over_limit;
  return receipt;
}

}  // namespace tenantsync::service
