#include "core/guard.hpp"

#include <fmt/format.h>

namespace tenantsync::core {
namespace {

int percent(int part, int whole) {
  if (whole <= 0) return 100;
  return static_cast<int>((static_cast<long long>(part) * 100 + whole / 2) / whole);
}

}  // namespace

GuardDecision evaluate_guard(const std::vector<ResourcePlan>& plans,
                             const std::map<Resource, int>& active_counts, const GuardOptions& options) {
  GuardDecision decision;
  for (const ResourcePlan& plan : plans) {
    const int removals = count_archives(plan, kReasonRemovedUpstream);
    auto found = active_counts.find(plan.resource);
    const int active = found != active_counts.end() ? found->second : plan.active_before;
    if (removals >= options.floor && removals > options.ratio * active)
      decision.blocks.push_back(GuardBlock{plan.resource, removals, active});
  }
  decision.blocked = !decision.blocks.empty();
  if (decision.blocked) decision.message = guard_message(decision.blocks);
  return decision;
}

GuardDecision evaluate_guard(const std::vector<ResourcePlan>& plans, const GuardOptions& options) {
  return evaluate_guard(plans, {}, options);
}

std::string guard_message(const std::vector<GuardBlock>& blocks) {
  std::string parts;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    if (i > 0) parts += i + 1 == blocks.size() ? " and " : ", ";
    const GuardBlock& b = blocks[i];
    parts += fmt::format("{} of {} {} ({}%)", b.removals, b.active, display_name(b.resource),
                         percent(b.removals, b.active));
  }
  return fmt::format("The sync would remove {}. Confirm to apply.", parts);
}

}  // namespace tenantsync::core
