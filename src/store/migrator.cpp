#include "store/migrator.hpp"

#include <algorithm>
#include <set>
#include <string>

#include "store/sql/errors.hpp"

namespace tenantsync::store {
namespace {

// Any constant works as long as every instance uses the same one: "tsmigrat" in ASCII.
constexpr std::int64_t kMigrationLockKey = 0x74736d6967726174;

constexpr const char* kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

// Holds pg_advisory_lock for the life of the object; a no-op on SQLite, where BEGIN IMMEDIATE
// already serializes migrating processes.
class MigrationLock {
 public:
  explicit MigrationLock(sql::Connection& connection) : connection_(connection) {}
  ~MigrationLock() {
    if (held_ && !connection_.query("SELECT pg_advisory_unlock(?)", {kMigrationLockKey}).ok()) {
      connection_.mark_broken();  // closing the session releases the lock
    }
  }
  MigrationLock(const MigrationLock&) = delete;
  MigrationLock& operator=(const MigrationLock&) = delete;

  Status acquire() {
    if (!connection_.is_postgres()) return {};
    Result<sql::QueryResult> r = connection_.query("SELECT pg_advisory_lock(?)", {kMigrationLockKey});
    if (!r.ok()) return r.error();
    held_ = true;
    return {};
  }

 private:
  sql::Connection& connection_;
  bool held_ = false;
};

Error migration_error(const Migration& m, const Error& cause) {
  return sql::db_error("migration " + m.name + " failed: " + cause.message);
}

}  // namespace

Result<int> apply_migrations(sql::Database& db, const std::vector<Migration>& migrations,
                             std::int64_t now_ms) {
  Result<sql::PooledConnection> acquired = db.acquire(sql::Access::write);
  if (!acquired.ok()) return acquired.error();
  sql::Connection& connection = **acquired;

  MigrationLock lock(connection);
  if (Status s = lock.acquire(); !s.ok()) return s.error();
  if (Status s = connection.exec(kCreateTable); !s.ok()) return s.error();

  std::vector<const Migration*> pending;
  for (const Migration& m : migrations) {
    if (m.backend == db.backend()) pending.push_back(&m);
  }
  std::sort(pending.begin(), pending.end(),
            [](const Migration* a, const Migration* b) { return a->version < b->version; });

  int applied = 0;
  for (const Migration* m : pending) {
    Result<sql::Transaction> begun = sql::Transaction::begin_on(connection, sql::Access::write);
    if (!begun.ok()) return begun.error();
    sql::Transaction& tx = *begun;
    // Checked inside the write transaction, so another process that migrated meanwhile is seen.
    Result<sql::QueryResult> done =
        tx.query("SELECT version FROM schema_migrations WHERE version = ?", {std::int64_t{m->version}});
    if (!done.ok()) return done.error();
    if (!done->empty()) continue;
    if (Status s = tx.exec(m->sql); !s.ok()) return migration_error(*m, s.error());
    Result<sql::QueryResult> recorded =
        tx.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                 {std::int64_t{m->version}, m->name, now_ms});
    if (!recorded.ok()) return migration_error(*m, recorded.error());
    if (Status s = tx.commit(); !s.ok()) return migration_error(*m, s.error());
    ++applied;
  }
  return applied;
}

Result<int> applied_version(sql::Database& db) {
  Result<sql::PooledConnection> acquired = db.acquire(sql::Access::read);
  if (!acquired.ok()) return acquired.error();
  sql::Connection& connection = **acquired;
  const char* exists_sql =
      connection.is_postgres()
          ? "SELECT 1 FROM pg_catalog.pg_tables WHERE tablename = 'schema_migrations' "
            "AND schemaname = ANY (current_schemas(false))"
          : "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'";
  Result<sql::QueryResult> exists = connection.query(exists_sql);
  if (!exists.ok()) return exists.error();
  if (exists->empty()) return 0;
  Result<sql::QueryResult> max = connection.query("SELECT MAX(version) FROM schema_migrations");
  if (!max.ok()) return max.error();
  return static_cast<int>(max->rows.at(0).int64(0));
}

}  // namespace tenantsync::store
