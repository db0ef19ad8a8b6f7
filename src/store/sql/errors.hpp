#pragma once
// Error codes of the SQL layer. The Store turns them into its own codes ("email_taken",
// "not_found", "conflict", "db_error") where it knows what a violation means.
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace tenantsync::store::sql {

/// Any database failure without a more specific code (unique_violation, foreign_key_violation,
/// db_busy: lock contention or a serialization failure, where retrying the transaction may succeed).
inline Error db_error(std::string message) { return Error{core::ErrorCode::db_error, std::move(message)}; }

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
