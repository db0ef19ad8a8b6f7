#include "api/audit_trail.hpp"

#include <spdlog/spdlog.h>

#include "core/log_text.hpp"

namespace tenantsync::api {

void Auditor::record(const std::string& action, const Json& detail) const {
  if (store_ == nullptr) return;
  store::AuditEntry entry;
  entry.tenant_id = tenant_id_;
  entry.at_ms = to_epoch_ms(clock_->now());
  entry.actor = actor_;
  entry.actor_email = actor_email_;
  entry.address = address_;
  entry.action = action;
  entry.detail_json = detail.dump();
  if (Status s = store_->append_audit(entry); !s.ok()) {
    spdlog::error("event=audit_write_failed tenant_id={} action={} message={}", tenant_id_, action,
                  core::log_value(s.error().message));
  }
}

}  // namespace tenantsync::api
