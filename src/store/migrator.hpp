#pragma once
// Applies the embedded migrations of a database's backend: schema_migrations(version, name,
// applied_at) records what ran; each migration runs in its own transaction; on PostgreSQL a
// session advisory lock keeps concurrently starting instances from racing.
#include <cstdint>
#include <vector>

#include "core/result.hpp"
#include "store/migrations.hpp"
#include "store/sql/database.hpp"

namespace tenantsync::store {

/// Applies the migrations of db's backend that are not yet recorded, in version order;
/// returns how many ran. Errors: "db_error" naming the failed migration.
Result<int> apply_migrations(sql::Database& db, const std::vector<Migration>& migrations, std::int64_t now_ms);

/// Highest recorded migration version; 0 when nothing was ever applied.
Result<int> applied_version(sql::Database& db);

}  // namespace tenantsync::store
