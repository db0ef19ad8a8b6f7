#pragma once
// The vocabulary of sync runs and CRM connections as types: states, triggers, targets,
// providers. Strings exist only where they cross a boundary (the store's columns, the API's
// JSON); to_string and parse_* are those crossings, and parse_* accepts exactly what to_string
// writes.
#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "core/ids.hpp"

namespace tenantsync::core {

/// queued → running → succeeded | failed | held; held → queued (confirmed) | cancelled.
enum class RunState { queued, running, succeeded, failed, held, cancelled };
/// What asked for a run.
enum class RunTrigger { manual, key_change, login, crm_connect, schedule, cron, confirm };
/// What a CRM connection is doing or why it stopped.
enum class ConnectionState { connected, syncing, needs_reauth, error, rate_limited };
enum class CrmProvider { hubspot, salesforce };
/// How a CRM connection holds its credentials.
enum class CrmAuthKind { nango, access_token, refresh_token };

std::string_view to_string(RunState state);
std::string_view to_string(RunTrigger trigger);
std::string_view to_string(ConnectionState state);
std::string_view to_string(CrmProvider provider);
std::string_view to_string(CrmAuthKind kind);

std::optional<RunState> parse_run_state(std::string_view text);
std::optional<RunTrigger> parse_run_trigger(std::string_view text);
std::optional<ConnectionState> parse_connection_state(std::string_view text);
std::optional<CrmProvider> parse_crm_provider(std::string_view text);
std::optional<CrmAuthKind> parse_crm_auth_kind(std::string_view text);

/// A run in this state will not change any more (succeeded, failed, held, cancelled).
bool is_terminal(RunState state);

/// What a run syncs: the tenant's voice-platform account, or one of its CRM connections.
/// Stored as "voice" or "crm:<connection id>".
class RunTarget {
 public:
  static RunTarget voice() { return RunTarget(); }
  static RunTarget crm(ConnectionId connection) { return RunTarget(connection); }

  bool is_voice() const { return !connection_; }
  bool is_crm() const { return connection_.has_value(); }
  /// The CRM connection; only for is_crm() targets.
  ConnectionId connection() const { return *connection_; }

  std::string to_string() const;
  /// nullopt for anything but "voice" and "crm:<positive integer>".
  static std::optional<RunTarget> parse(std::string_view text);

  friend bool operator==(const RunTarget&, const RunTarget&) = default;

 private:
  RunTarget() = default;
  explicit RunTarget(ConnectionId connection) : connection_(connection) {}
  std::optional<ConnectionId> connection_;
};

}  // namespace tenantsync::core
