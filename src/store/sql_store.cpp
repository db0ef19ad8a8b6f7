#include "store/sql_store.hpp"

#include "core/clock.hpp"
#include "store/migrations.hpp"
#include "store/migrator.hpp"
#include "store/sql_store_errors.hpp"

namespace tenantsync::store {

std::string SqlStore::backend() const { return std::string(db_->backend()); }

Status SqlStore::ping() {
  Result<sql::QueryResult> r = db_->query(sql::Access::read, "SELECT 1");
  if (!r.ok()) return to_store_error(r.error());
  return {};
}

Result<int> SqlStore::migrate() {
  Result<int> applied = apply_migrations(*db_, embedded_migrations(), to_epoch_ms(SystemClock().now()));
  if (!applied.ok()) return to_store_error(applied.error());
  return applied;
}

Result<int> SqlStore::schema_version() {
  Result<int> version = applied_version(*db_);
  if (!version.ok()) return to_store_error(version.error());
  return version;
}

}  // namespace tenantsync::store
