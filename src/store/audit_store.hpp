#pragma once
// The audit log: who did what, when and from which address, per tenant. Append-only: entries
// are added and listed; they leave only by retention (delete_audit_before) or with their tenant.
// One area of the Store (store.hpp); the SQL is in sql_store_audit.cpp.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"

namespace tenantsync::store {

struct AuditEntry {
  std::int64_t id = 0;
  TenantId tenant_id{0};
  std::int64_t at_ms = 0;
  std::optional<UserId> actor;  ///< nullopt: nobody signed in (a failed login, an accepted invitation)
  std::string actor_email;
  std::string address;      ///< the client's address
  std::string action;       ///< e.g. "login", "key_changed", "member_removed" (docs/api.md)
  std::string detail_json;  ///< what, as a JSON object; never a secret
};

struct AuditQuery {
  std::optional<UserId> actor;
  std::string action;  ///< empty: any
  std::optional<std::int64_t> from_ms;  ///< at >= from
  std::optional<std::int64_t> to_ms;    ///< at < to
  std::optional<std::int64_t> before_id;  ///< the cursor: entries older than this id
  int limit = 50;
};

struct AuditPage {
  std::vector<AuditEntry> items;  ///< newest first
  std::optional<std::int64_t> next;
};

class AuditStore {
 public:
  virtual ~AuditStore() = default;

  virtual Status append_audit(const AuditEntry& entry) = 0;
  virtual Result<AuditPage> list_audit(TenantId tenant_id, const AuditQuery& query) = 0;
  /// Retention: removes entries older than `cutoff`, of every tenant; returns how many.
  virtual Result<int> delete_audit_before(TimePoint cutoff) = 0;
};

}  // namespace tenantsync::store
