#pragma once
// Writing the audit log from route handlers. The dispatcher puts an Auditor for the signed-in
// member into every request's context; a handler records what it did once it has done it
// (`ctx.auditor.record("key_changed", {{"last4", "abcd"}})`). An Auditor is a small value: a
// deferred answer copies it into the work that finishes the request.
#include <optional>
#include <string>

#include "api/json.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "store/audit_store.hpp"

namespace tenantsync::api {

class Auditor {
 public:
  Auditor() = default;
  Auditor(store::AuditStore* store, const Clock* clock, TenantId tenant_id, std::optional<UserId> actor,
          std::string actor_email, std::string address)
      : store_(store),
        clock_(clock),
        tenant_id_(tenant_id),
        actor_(actor),
        actor_email_(std::move(actor_email)),
        address_(std::move(address)) {}

  /// Appends one entry. `detail` says what, never a secret. A failure to write is logged, not
  /// thrown: the action it describes has already happened.
  void record(const std::string& action, const Json& detail = Json::object()) const;

 private:
  store::AuditStore* store_ = nullptr;  ///< null: nothing is recorded (open and cron routes)
  const Clock* clock_ = nullptr;
  TenantId tenant_id_{0};
  std::optional<UserId> actor_;
  std::string actor_email_;
  std::string address_;
};

}  // namespace tenantsync::api
