#pragma once
// Private to SqlStore: a statement's result as Store results, read row by row with a reader (a
// function from sql::Row to a record), so each method names only its statement and its reader.
#include <optional>
#include <type_traits>
#include <vector>

#include "core/result.hpp"
#include "store/sql/value.hpp"
#include "store/sql_store_errors.hpp"

namespace tenantsync::store::detail {

template <typename Read>
using RecordOf = std::invoke_result_t<Read, const sql::Row&>;

/// The first row as a record, nullopt when there is none; a failed statement becomes a Store error.
template <typename Read>
Result<std::optional<RecordOf<Read>>> first_row(const Result<sql::QueryResult>& r, Read read) {
  if (!r.ok()) return to_store_error(r.error());
  if (r->empty()) return std::optional<RecordOf<Read>>();
  return std::optional<RecordOf<Read>>(read(r->rows.front()));
}

/// Every row as a record, in the statement's order.
template <typename Read>
Result<std::vector<RecordOf<Read>>> all_rows(const Result<sql::QueryResult>& r, Read read) {
  if (!r.ok()) return to_store_error(r.error());
  std::vector<RecordOf<Read>> out;
  out.reserve(r->rows.size());
  for (const sql::Row& row : r->rows) out.push_back(read(row));
  return out;
}

}  // namespace tenantsync::store::detail
