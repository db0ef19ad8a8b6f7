#pragma once
// The change feed: every applied change of a tenant's data, numbered by a sequence that only
// grows. Written by the database itself (triggers of migration 0006, in the transaction of the
// change), read here in order of seq.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"

namespace tenantsync::store {

/// One entry of the feed.
struct Change {
  std::int64_t seq = 0;
  TenantId tenant_id{0};
  std::string type;         ///< "lead.created", "execution.updated", "run.finished", …
  std::string object_kind;  ///< "lead", "agent", "phone_number", "campaign", "execution", "run"
  std::int64_t object_id = 0;
  std::string upstream_id;  ///< the upstream's id (a lead's CRM id, a run's target); may be empty
  std::string detail;       ///< a lead's source, a mirror row's status, a run's state
  std::int64_t occurred_at_ms = 0;
};

struct ChangeQuery {
  std::int64_t after_seq = 0;  ///< entries with a greater seq
  /// Exact types ("lead.created") and kinds ("lead": every lead.* type); both empty: every type.
  std::vector<std::string> types;
  std::vector<std::string> kinds;
  int limit = 100;
};

class ChangeFeedStore {
 public:
  virtual ~ChangeFeedStore() = default;

  /// A tenant's entries after query.after_seq, in order of seq, at most query.limit.
  virtual Result<std::vector<Change>> list_changes(TenantId tenant_id, const ChangeQuery& query) = 0;
  /// The highest seq of a tenant's feed (0 when empty).
  virtual Result<std::int64_t> latest_change_seq(TenantId tenant_id) = 0;
  /// Removes entries, and webhook deliveries no longer pending, older than `before`; returns how many.
  virtual Result<std::int64_t> prune_changes(TimePoint before) = 0;
};

}  // namespace tenantsync::store
