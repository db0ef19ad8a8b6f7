#pragma once
// Shared query text uses `?` placeholders (SQLite's); PostgreSQL wants $1..$n.
#include <string>
#include <string_view>

namespace tenantsync::store::sql {

/// Rewrites each `?` outside string literals, quoted identifiers and comments to $1, $2, ...
std::string to_dollar_placeholders(std::string_view sql);

/// Counts the `?` placeholders outside literals, identifiers and comments.
int count_placeholders(std::string_view sql);

}  // namespace tenantsync::store::sql
