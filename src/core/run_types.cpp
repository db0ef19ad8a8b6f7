#include "core/run_types.hpp"

#include <charconv>

namespace tenantsync::core {
namespace {

// One table of names per enum, indexed by the enumerator's value: to_string and parse read the
// same table, so they cannot disagree. The order follows the enum's declaration.
template <std::size_t N>
using Names = std::array<std::string_view, N>;

constexpr Names<6> kRunStates{"queued", "running", "succeeded", "failed", "held", "cancelled"};
constexpr Names<7> kRunTriggers{"manual",   "key_change", "login",  "crm_connect",
                                "schedule", "cron",       "confirm"};
constexpr Names<5> kConnectionStates{"connected", "syncing", "needs_reauth", "error", "rate_limited"};
constexpr Names<2> kProviders{"hubspot", "salesforce"};
constexpr Names<3> kAuthKinds{"nango", "access_token", "refresh_token"};

template <class E, std::size_t N>
std::string_view name_of(const Names<N>& names, E value) {
  const auto index = static_cast<std::size_t>(value);
  return index < N ? names[index] : std::string_view("unknown");
}

template <class E, std::size_t N>
std::optional<E> value_of(const Names<N>& names, std::string_view text) {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == text) return static_cast<E>(i);
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

std::optional<RunState> parse_run_state(std::string_view text) {
  return value_of<RunState>(kRunStates, text);
}
std::optional<RunTrigger> parse_run_trigger(std::string_view text) {
  return value_of<RunTrigger>(kRunTriggers, text);
}
std::optional<ConnectionState> parse_connection_state(std::string_view text) {
  return value_of<ConnectionState>(kConnectionStates, text);
}
std::optional<CrmProvider> parse_crm_provider(std::string_view text) {
  return value_of<CrmProvider>(kProviders, text);
}
std::optional<CrmAuthKind> parse_crm_auth_kind(std::string_view text) {
  return value_of<CrmAuthKind>(kAuthKinds, text);
}

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
