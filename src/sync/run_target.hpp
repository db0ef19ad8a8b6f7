#pragma once
// What a run syncs, as the run's `target` text stores it: "voice" (the tenant's voice
// platform) or "crm:<connection id>" (one CRM connection). Built and parsed only here.
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/ids.hpp"

namespace tenantsync::sync {

inline constexpr const char* kVoiceTarget = "voice";
inline constexpr std::string_view kCrmTargetPrefix = "crm:";

/// The target of a CRM connection's runs: "crm:<connection id>".
inline std::string crm_target(ConnectionId connection_id) {
  return std::string(kCrmTargetPrefix) + std::to_string(connection_id.value());
}

inline bool is_crm_target(std::string_view target) { return target.starts_with(kCrmTargetPrefix); }

/// The connection id of a "crm:<id>" target; nullopt for any other text.
inline std::optional<std::int64_t> parse_crm_target(std::string_view target) {
  if (!is_crm_target(target)) return std::nullopt;
  const std::string_view digits = target.substr(kCrmTargetPrefix.size());
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return id;
}

}  // namespace tenantsync::sync
