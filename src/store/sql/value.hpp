#pragma once
// The values that cross the SQL layer: parameters bound to `?` placeholders and the cells of
// result rows. Both backends map their column types onto these four.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace tenantsync::store::sql {

/// A bound parameter or a result cell: NULL, a 64-bit integer, a double or text.
using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string>;
using Params = std::vector<Value>;

/// Convenience for optional columns: nullopt binds NULL.
inline Value nullable(const std::optional<std::string>& v) {
  return v ? Value(*v) : Value(nullptr);
}
inline Value nullable(const std::optional<std::int64_t>& v) {
  return v ? Value(*v) : Value(nullptr);
}

/// One result row. Accessors are lenient where backends differ (PostgreSQL NUMERIC arrives
/// as text, SQLite may hand back an integer for a REAL column) and assert on real misuse.
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

/// What a statement returns: its rows (if any) and how many rows it changed.
struct QueryResult {
  std::vector<Row> rows;
  std::int64_t affected = 0;

  bool empty() const { return rows.empty(); }
};

}  // namespace tenantsync::store::sql
