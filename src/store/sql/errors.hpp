#pragma once
// Error codes of the SQL layer. The Store turns them into its own codes ("email_taken",
// "not_found", "conflict", "db_error") where it knows what a violation means.
#include <string>

#include "core/result.hpp"

namespace tenantsync::store::sql {

/// Any database failure without a more specific code below.
inline constexpr const char* kDbError = "db_error";
/// A UNIQUE or PRIMARY KEY constraint refused a row (SQLITE_CONSTRAINT_UNIQUE, SQLSTATE 23505).
inline constexpr const char* kUniqueViolation = "unique_violation";
/// A FOREIGN KEY constraint refused a row (SQLITE_CONSTRAINT_FOREIGNKEY, SQLSTATE 23503).
inline constexpr const char* kForeignKeyViolation = "foreign_key_violation";
/// Lock contention or a serialization failure; retrying the whole transaction may succeed.
inline constexpr const char* kBusy = "db_busy";

inline Error db_error(std::string message) { return Error{kDbError, std::move(message)}; }

}  // namespace tenantsync::store::sql
