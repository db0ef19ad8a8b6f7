#pragma once
// The bounds of one run: records, bytes and pages, per resource and per run. An upstream a
// tenant points the server at can send records without end; a run that passes a bound stops
// that listing with limit_exceeded instead of growing until the process is killed. The counts
// are of what the run read (and holds in memory, for a voice run), not of what it writes.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace tenantsync::core {

struct RunLimits {
  std::int64_t records_per_resource = 2'000'000;  ///< TENANTSYNC_MAX_RECORDS_PER_RESOURCE
  std::int64_t records_per_run = 4'000'000;       ///< TENANTSYNC_MAX_RECORDS_PER_RUN
  std::int64_t bytes_per_resource = 1ll << 30;    ///< TENANTSYNC_MAX_BYTES_PER_RESOURCE (1 GiB)
  std::int64_t bytes_per_run = 1ll << 30;         ///< TENANTSYNC_MAX_BYTES_PER_RUN (1 GiB)
  std::int64_t pages_per_resource = 100'000;      ///< TENANTSYNC_MAX_PAGES_PER_RESOURCE
  std::int64_t pages_per_run = 200'000;           ///< TENANTSYNC_MAX_PAGES_PER_RUN
};

/// What one run has read so far, against its limits.
class RunBudget {
 public:
  explicit RunBudget(RunLimits limits);

  /// Counts one page of `resource` with `records` records of `bytes` bytes in all. A page that
  /// would pass a bound is not counted, and the answer is limit_exceeded, naming the bound.
  Status take_page(std::string_view resource, std::int64_t records, std::int64_t bytes);

 private:
  struct Counts {
    std::int64_t records = 0;
    std::int64_t bytes = 0;
    std::int64_t pages = 0;
  };

  RunLimits limits_;
  Counts run_;
  std::map<std::string, Counts, std::less<>> resources_;
};

}  // namespace tenantsync::core
