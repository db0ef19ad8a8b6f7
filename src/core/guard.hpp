#pragma once
// The mass-removal guard: a plan that would archive a large share of a
// resource is held for a person to confirm, because a half-broken upstream (an empty listing
// that still answers 200) looks exactly like "everything was deleted". Archives caused by a
// deliberate switch to another account are expected and never count.
#include <map>
#include <string>
#include <vector>

#include "core/mirror.hpp"
#include "core/reconcile.hpp"

namespace tenantsync::core {

struct GuardOptions {
  double ratio = 0.5;  ///< block when removals exceed this share of the active rows…
  int floor = 3;       ///< …and are at least this many (small mirrors may lose one or two freely)
};

struct GuardBlock {
  Resource resource = Resource::agents;
  int removals = 0;  ///< "removed_upstream" archives
  int active = 0;    ///< active rows before the plan
};

struct GuardDecision {
  bool blocked = false;
  std::vector<GuardBlock> blocks;  ///< the resources that block, in plan order
  std::string message;             ///< empty when not blocked
};

/// Checks every plan against its active count (taken from `active_counts`, else the plan's own).
GuardDecision evaluate_guard(const std::vector<ResourcePlan>& plans,
                             const std::map<Resource, int>& active_counts, const GuardOptions& options = {});

/// Same, with each plan's own active_before as its active count.
GuardDecision evaluate_guard(const std::vector<ResourcePlan>& plans, const GuardOptions& options = {});

/// "The sync would remove 5 of 6 agents (83%). Confirm to apply." (several joined with "and").
std::string guard_message(const std::vector<GuardBlock>& blocks);

}  // namespace tenantsync::core
