#include "core/run_types.hpp"

#include <charconv>

namespace tenantsync::core {
namespace {

// One table per enum: to_string and parse read the same rows, so they cannot disagree.
template <class E, std::size_t N>
using Names = std::array<std::pair<E, std::string_view>, N>;

constexpr Names<RunState, 6> kRunStates{{{RunState::queued, "queued"},
                                         {RunState::running, "running"},
                                         {RunState::succeeded, "succeeded"},
                                         {RunState::failed, "failed"},
                                         {RunState::held, "held"},
                                         {RunState::cancelled, "cancelled"}}};
constexpr Names<RunTrigger, 7> kRunTriggers{{{RunTrigger::manual, "manual"},
                                             {RunTrigger::key_change, "key_change"},
                                             {RunTrigger::login, "login"},
                                             {RunTrigger::crm_connect, "crm_connect"},
                                             {RunTrigger::schedule, "schedule"},
                                             {RunTrigger::cron, "cron"},
                                             {RunTrigger::confirm, "confirm"}}};
constexpr Names<ConnectionState, 5> kConnectionStates{{{ConnectionState::connected, "connected"},
                                                       {ConnectionState::syncing, "syncing"},
                                                       {ConnectionState::needs_reauth, "needs_reauth"},
                                                       {ConnectionState::error, "error"},
                                                       {ConnectionState::rate_limited, "rate_limited"}}};
constexpr Names<CrmProvider, 2> kProviders{{{CrmProvider::hubspot, "hubspot"},
                                            {CrmProvider::salesforce, "salesforce"}}};
constexpr Names<CrmAuthKind, 3> kAuthKinds{{{CrmAuthKind::nango, "nango"},
                                            {CrmAuthKind::access_token, "access_token"},
                                            {CrmAuthKind::refresh_token, "refresh_token"}}};

template <class E, std::size_t N>
std::string_view name_of(const Names<E, N>& names, E value) {
  for (const auto& [v, name] : names)
    if (v == value) return name;
  return "unknown";
}

template <class E, std::size_t N>
std::optional<E> value_of(const Names<E, N>& names, std::string_view text) {
  for (const auto& [v, name] : names)
    if (name == text) return v;
  return std::nullopt;
}

constexpr std::string_view kVoice = "voice";
constexpr std::string_view kCrmPrefix = "crm:";

}  // namespace

std::string_view to_string(RunState state) { return name_of(kRunStates, state); }
std::string_view to_string(RunTrigger trigger) { return name_of(kRunTriggers, trigger); }
std::string_view to_string(ConnectionState state) { return name_of(kConnectionStates, state); }
std::string_view to_string(CrmProvider provider) { return name_of(kProviders, provider); }
std::string_view to_string(CrmAuthKind kind) { return name_of(kAuthKinds, kind); }

std::optional<RunState> parse_run_state(std::string_view text) { return value_of(kRunStates, text); }
std::optional<RunTrigger> parse_run_trigger(std::string_view text) { return value_of(kRunTriggers, text); }
std::optional<ConnectionState> parse_connection_state(std::string_view text) {
  return value_of(kConnectionStates, text);
}
std::optional<CrmProvider> parse_crm_provider(std::string_view text) { return value_of(kProviders, text); }
std::optional<CrmAuthKind> parse_crm_auth_kind(std::string_view text) { return value_of(kAuthKinds, text); }

bool is_terminal(RunState state) { return state != RunState::queued && state != RunState::running; }

std::string RunTarget::to_string() const {
  return is_voice() ? std::string(kVoice) : std::string(kCrmPrefix) + std::to_string(connection_->value());
}

std::optional<RunTarget> RunTarget::parse(std::string_view text) {
  if (text == kVoice) return voice();
  if (!text.starts_with(kCrmPrefix)) return std::nullopt;
  const std::string_view digits = text.substr(kCrmPrefix.size());
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || id <= 0)
    return std::nullopt;
  return crm(ConnectionId(id));
}

}  // namespace tenantsync::core
