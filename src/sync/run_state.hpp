#pragma once
// The states a run goes through, as stored: queued → running → succeeded | failed | held |
// cancelled (a held run goes back to queued when a person confirms its plan).
#include <string>

namespace tenantsync::sync {

/// A run is over once it reached one of these states.
inline bool is_terminal(const std::string& state) {
  return state == "succeeded" || state == "failed" || state == "held" || state == "cancelled";
}

}  // namespace tenantsync::sync
