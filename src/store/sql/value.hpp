#pragma once
// The values that cross the SQL layer: parameters bound to `?` placeholders and the cells of
// result rows. Both backends map their column types onto these four.
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "core/strong_typedef.hpp"

namespace tenantsync::store::sql {

/// A bound parameter or a result cell: NULL, a 64-bit integer, a double or text.
using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string>;
using Params = std::vector<Value>;

/// Convenience for optional columns: nullopt binds NULL.
inline Value nullable(const std::optional<std::string>& v) { return v ? Value(*v) : Value(nullptr); }
inline Value nullable(const std::optional<std::int64_t>& v) { return v ? Value(*v) : Value(nullptr); }
/// For columns where "unset" has one spelling in the database, NULL: empty text binds NULL
/// (and reads back as "" through Row::text).
inline Value null_if_empty(const std::string& v) { return v.empty() ? Value(nullptr) : Value(v); }
/// The same for ids and times whose "unset" is 0.
inline Value null_if_zero(std::int64_t v) { return v == 0 ? Value(nullptr) : Value(v); }
template <class Tag>
Value null_if_zero(StrongTypedef<Tag, std::int64_t> v) {
  return null_if_zero(v.value());
}

/// Lets statements that share a run of columns build that run once.
template <typename T>
inline constexpr bool kIsStrongTypedef = false;
template <class Tag, class T>
inline constexpr bool kIsStrongTypedef<StrongTypedef<Tag, T>> = true;

/// One parameter list from single values and whole lists, in order: bind(a, list, b) binds a, then
/// each value of list, then b. Typed ids bind as their integer.
template <typename... Parts>
Params bind(Parts&&... parts) {
  Params out;
  auto add = [&out](auto&& part) {
    if constexpr (std::is_same_v<std::remove_cvref_t<decltype(part)>, Params>) {
      out.insert(out.end(), part.begin(), part.end());
    } else if constexpr (kIsStrongTypedef<std::remove_cvref_t<decltype(part)>>) {
      out.emplace_back(part.value());
    } else {
      out.emplace_back(std::forward<decltype(part)>(part));
    }
  };
  (add(std::forward<Parts>(parts)), ...);
  return out;
}

/// One result row. Accessors are lenient where backends differ (PostgreSQL NUMERIC arrives
/// as text, SQLite may hand back an integer for a REAL column); a column index out of range
/// is a programming error and throws std::out_of_range.
class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}

  std::size_t size() const { return values_.size(); }
  const Value& operator[](std::size_t i) const { return values_.at(i); }
  bool is_null(std::size_t i) const { return std::holds_alternative<std::nullptr_t>(values_.at(i)); }

  /// Integer cell; 0 for NULL.
  std::int64_t int64(std::size_t i) const;
  /// Floating-point cell; 0 for NULL.
  double real(std::size_t i) const;
  /// Text cell; "" for NULL.
  std::string text(std::size_t i) const;
  std::optional<std::int64_t> opt_int64(std::size_t i) const;
  std::optional<std::string> opt_text(std::size_t i) const;

 private:
  std::vector<Value> values_;
};

/// Cell i into a field of the matching type (bool: non-zero, int: narrowed from 64 bits).
inline void read_cell(const Row& row, std::size_t i, std::int64_t& field) { field = row.int64(i); }
inline void read_cell(const Row& row, std::size_t i, int& field) { field = static_cast<int>(row.int64(i)); }
inline void read_cell(const Row& row, std::size_t i, bool& field) { field = row.int64(i) != 0; }
inline void read_cell(const Row& row, std::size_t i, double& field) { field = row.real(i); }
inline void read_cell(const Row& row, std::size_t i, std::string& field) { field = row.text(i); }
inline void read_cell(const Row& row, std::size_t i, std::optional<std::int64_t>& field) {
  field = row.opt_int64(i);
}
inline void read_cell(const Row& row, std::size_t i, std::optional<std::string>& field) {
  field = row.opt_text(i);
}
/// An id cell: read as its representation, then wrapped (the store is where ids become typed).
template <class Tag, class T>
void read_cell(const Row& row, std::size_t i, StrongTypedef<Tag, T>& field) {
  T value{};
  read_cell(row, i, value);
  field = StrongTypedef<Tag, T>(std::move(value));
}

template <class Tag, class T>
void read_cell(const Row& row, std::size_t i, std::optional<StrongTypedef<Tag, T>>& field) {
  if (row.is_null(i)) {
    field.reset();
    return;
  }
  StrongTypedef<Tag, T> value{T{}};
  read_cell(row, i, value);
  field = value;
}

/// Reads the row's cells, first to last, into the fields in the order given, each by its type: the
/// field list mirrors the SELECT's column list, so no reader counts column numbers by hand.
template <typename... Fields>
void read_row(const Row& row, Fields&... fields) {
  std::size_t i = 0;
  (read_cell(row, i++, fields), ...);
}

/// What a statement returns: its rows (if any) and how many rows it changed.
struct QueryResult {
  std::vector<Row> rows;
  std::int64_t affected = 0;

  bool empty() const { return rows.empty(); }
};

}  // namespace tenantsync::store::sql
