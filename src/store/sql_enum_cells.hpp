#pragma once
// Private to SqlStore: the run and connection types (core/run_types.hpp) as text columns. The
// database stores their to_string spelling; these are the only places that spell them for SQL.
#include <string>

#include "core/error_code.hpp"
#include "core/run_types.hpp"
#include "store/sql/value.hpp"

namespace tenantsync::store::sql {

/// The column value of a run or connection type (its to_string spelling).
template <class E>
Value text_of(E value) {
  return std::string(core::to_string(value));
}
inline Value text_of(const core::RunTarget& target) { return target.to_string(); }
/// A run's error code column: NULL when the run did not fail.
inline Value text_of(const std::optional<core::ErrorCode>& code) {
  return code ? Value(std::string(core::to_string(*code))) : Value(nullptr);
}

// Cells read by read_row (found through the Row argument). Only SqlStore writes these columns,
// so an unknown spelling cannot occur; should it, the field keeps its default.
inline void read_cell(const Row& row, std::size_t i, core::RunState& field) {
  field = core::parse_run_state(row.text(i)).value_or(field);
}
inline void read_cell(const Row& row, std::size_t i, core::RunTrigger& field) {
  field = core::parse_run_trigger(row.text(i)).value_or(field);
}
inline void read_cell(const Row& row, std::size_t i, core::RunTarget& field) {
  field = core::RunTarget::parse(row.text(i)).value_or(field);
}
inline void read_cell(const Row& row, std::size_t i, core::ConnectionState& field) {
  field = core::parse_connection_state(row.text(i)).value_or(field);
}
inline void read_cell(const Row& row, std::size_t i, core::CrmProvider& field) {
  field = core::parse_crm_provider(row.text(i)).value_or(field);
}
inline void read_cell(const Row& row, std::size_t i, core::CrmAuthKind& field) {
  field = core::parse_crm_auth_kind(row.text(i)).value_or(field);
}
inline void read_cell(const Row& row, std::size_t i, std::optional<core::ErrorCode>& field) {
  const std::optional<std::string> text = row.opt_text(i);
  field = text ? core::parse_error_code(*text).value_or(core::ErrorCode::internal_error)
               : std::optional<core::ErrorCode>();
}

}  // namespace tenantsync::store::sql
