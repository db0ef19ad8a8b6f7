#pragma once
// Error codes of the SQL layer. The Store turns them into its own codes ("email_taken",
// "not_found", "conflict", "db_error") where it knows what a violation means.
#include <string>
#include <string_view>

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

/// The start of a statement for an error message: its first 80 characters on one line.
inline std::string statement_snippet(std::string_view sql) {
  constexpr std::size_t kMax = 80;
  std::string s(sql.substr(0, kMax));
  for (char& c : s) {
    if (c == '\n') c = ' ';
  }
  return sql.size() > kMax ? s + "..." : s;
}

}  // namespace tenantsync::store::sql
