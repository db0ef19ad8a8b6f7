#include "service/webhook_events.hpp"

#include <algorithm>

namespace tenantsync::service {
namespace {

constexpr std::string_view kKinds[] = {"lead", "agent", "phone_number", "campaign", "execution"};
constexpr std::string_view kVerbs[] = {"created", "updated", "archived", "restored"};

bool is_kind_wildcard(std::string_view p) {
  if (!p.ends_with(".*")) return false;
  const std::string_view kind = p.substr(0, p.size() - 2);
  return kind == "run" || std::find(std::begin(kKinds), std::end(kKinds), kind) != std::end(kKinds);
}

}  // namespace

const std::vector<std::string>& change_types() {
  static const std::vector<std::string> kTypes = [] {
    std::vector<std::string> out;
    for (auto kind : kKinds) {
      for (auto verb : kVerbs) out.push_back(std::string(kind) + "." + std::string(verb));
    }
    out.push_back("lead.merged");
    out.push_back("run.finished");
    return out;
  }();
  return kTypes;
}

Result<std::vector<std::string>> parse_event_patterns(const std::vector<std::string>& patterns,
                                                      std::string_view field) {
  if (patterns.empty()) {
    return make_error(
        core::ErrorCode::validation_failed,
        "The field \"" + std::string(field) + "\" must list at least one event type (or \"*\").");
  }
  std::vector<std::string> out;
  for (const std::string& p : patterns) {
    const auto& types = change_types();
    const bool known =
        p == "*" || is_kind_wildcard(p) || std::find(types.begin(), types.end(), p) != types.end();
    if (!known) {
      return make_error(core::ErrorCode::validation_failed,
                        "The field \"" + std::string(field) + "\" names an unknown event type \"" +
                            p.substr(0, 64) +
                            "\"; use a type such as lead.created, a kind such as lead.*, or *.");
    }
    if (p == "*") return std::vector<std::string>{"*"};
    if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
  }
  return out;
}

bool matches_any(const std::vector<std::string>& patterns, std::string_view type) {
  for (const std::string& p : patterns) {
    if (p == "*" || p == type) return true;
    if (p.ends_with(".*") && type.size() > p.size() - 1 &&
        type.starts_with(std::string_view(p).substr(0, p.size() - 1)))
      return true;
  }
  return false;
}

std::string join_patterns(const std::vector<std::string>& patterns) {
  std::string out;
  for (const auto& p : patterns) out += (out.empty() ? "" : ",") + p;
  return out;
}

std::vector<std::string> split_patterns(std::string_view stored) {
  std::vector<std::string> out;
  while (!stored.empty()) {
    const auto comma = stored.find(',');
    const std::string_view part = stored.substr(0, comma);
    if (!part.empty()) out.emplace_back(part);
    if (comma == std::string_view::npos) break;
    stored.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace tenantsync::service
