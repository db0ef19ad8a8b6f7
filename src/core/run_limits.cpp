#include "core/run_limits.hpp"

#include <fmt/format.h>

namespace tenantsync::core {
namespace {

Error exceeded(std::string_view what, std::int64_t limit, std::string_view bound, std::string_view setting) {
  return make_error(ErrorCode::limit_exceeded,
                    fmt::format("The {} listing was stopped: it passed the bound of {} {} (the server's {} "
                                "setting). Nothing that was already synced was lost.",
                                what, limit, bound, setting));
}

}  // namespace

RunBudget::RunBudget(RunLimits limits) : limits_(limits) {}

Status RunBudget::take_page(std::string_view resource, std::int64_t records, std::int64_t bytes) {
  auto found = resources_.find(resource);
  if (found == resources_.end()) found = resources_.emplace(std::string(resource), Counts{}).first;
  Counts& of_resource = found->second;
  if (of_resource.records + records > limits_.records_per_resource)
    return exceeded(resource, limits_.records_per_resource, "records of one resource in a run",
                    "TENANTSYNC_MAX_RECORDS_PER_RESOURCE");
  if (of_resource.bytes + bytes > limits_.bytes_per_resource)
    return exceeded(resource, limits_.bytes_per_resource, "bytes of one resource in a run",
                    "TENANTSYNC_MAX_BYTES_PER_RESOURCE");
  if (of_resource.pages + 1 > limits_.pages_per_resource)
    return exceeded(resource, limits_.pages_per_resource, "pages of one resource in a run",
                    "TENANTSYNC_MAX_PAGES_PER_RESOURCE");
  if (run_.records + records > limits_.records_per_run)
    return exceeded(resource, limits_.records_per_run, "records in a run", "TENANTSYNC_MAX_RECORDS_PER_RUN");
  if (run_.bytes + bytes > limits_.bytes_per_run)
    return exceeded(resource, limits_.bytes_per_run, "bytes in a run", "TENANTSYNC_MAX_BYTES_PER_RUN");
  if (run_.pages + 1 > limits_.pages_per_run)
    return exceeded(resource, limits_.pages_per_run, "pages in a run", "TENANTSYNC_MAX_PAGES_PER_RUN");
  for (Counts* counts : {&of_resource, &run_}) {
    counts->records += records;
    counts->bytes += bytes;
    counts->pages += 1;
  }
  return {};
}

}  // namespace tenantsync::core
