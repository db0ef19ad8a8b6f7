#pragma once
// What a running sync tells the engine as it goes: the engine stores it on the run, publishes
// it as a run.progress event, and renews the run's lease with it.
#include <functional>
#include <string>

namespace tenantsync::sync {

struct RunProgress {
  std::string phase;          ///< "account", "listing", "planning", "applying", "contacts", "owners"
  std::string resource;       ///< "agents", …, "contacts"; empty when none
  int pages = 0;              ///< pages read so far in this run
  int records = 0;            ///< records read so far in this run
  int planned = 0;            ///< changes planned so far
  int applied = 0;            ///< changes written so far
  std::string waiting_until;  ///< ISO-8601 when a call is waiting on a rate limit, else empty
  std::string waiting_reason;
};

using ProgressFn = std::function<void(const RunProgress&)>;
/// Asked between pages; true when the run must stop (shutdown, lost lease).
using StopFn = std::function<bool()>;

}  // namespace tenantsync::sync
