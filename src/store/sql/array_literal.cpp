#include "store/sql/array_literal.hpp"

#include <charconv>
#include <string_view>
#include <type_traits>

namespace tenantsync::store::sql {
namespace {

void append_text(std::string& out, std::string_view text) {
  out += '"';
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

template <typename Number>
void append_number(std::string& out, Number n) {
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, n);
  out.append(buffer, ec == std::errc() ? end : buffer);
}

void append_value(std::string& out, const Value& value) {
  std::visit(
      [&out](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::nullptr_t>) {
          out += "NULL";
        } else if constexpr (std::is_same_v<T, std::string>) {
          append_text(out, v);
        } else {
          append_number(out, v);
        }
      },
      value);
}

template <typename Item, typename Append>
std::string literal_of(const std::vector<Item>& items, Append append) {
  std::string out = "{";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    append(out, items[i]);
  }
  out += '}';
  return out;
}

}  // namespace

std::string array_literal(const std::vector<Value>& values) { return literal_of(values, append_value); }

std::string array_literal(const std::vector<std::string>& texts) {
  return literal_of(texts, [](std::string& out, const std::string& t) { append_text(out, t); });
}

std::string array_literal(const std::vector<std::int64_t>& numbers) {
  return literal_of(numbers, [](std::string& out, std::int64_t n) { append_number(out, n); });
}

}  // namespace tenantsync::store::sql
