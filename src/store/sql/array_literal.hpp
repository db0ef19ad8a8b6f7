#pragma once
// PostgreSQL's text form of a one-dimensional array, so that a whole column of values binds as one
// parameter (`?::text[]`, `= ANY(?::bigint[])`): a statement's text, and so its prepared statement,
// is the same for 1 row or 500, and the server parses one parameter instead of one per value.
#include <string>
#include <vector>

#include "store/sql/value.hpp"

namespace tenantsync::store::sql {

/// `{1,NULL,"a \"b\""}`: NULL unquoted, numbers bare, text double-quoted with `\` and `"` escaped
/// (PostgreSQL's array input rules), so any text, including `{`, `,`, `NULL` and spaces, reads back
/// as itself.
std::string array_literal(const std::vector<Value>& values);
/// The same for a list of texts or of integers (no NULLs).
std::string array_literal(const std::vector<std::string>& texts);
std::string array_literal(const std::vector<std::int64_t>& numbers);

}  // namespace tenantsync::store::sql
