#include "store/sql/placeholders.hpp"

namespace tenantsync::store::sql {
namespace {

// Walks sql and calls on_placeholder(out) for each `?` in plain SQL, copying everything else.
template <class OnPlaceholder>
void scan(std::string_view sql, std::string* out, OnPlaceholder on_placeholder) {
  auto put = [out](std::string_view s) {
    if (out) out->append(s);
  };
  std::size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {
      // A quoted literal or identifier; a doubled quote is an escaped quote and stays inside.
      std::size_t j = i + 1;
      while (j < sql.size()) {
        if (sql[j] == c) {
          if (j + 1 < sql.size() && sql[j + 1] == c) {
            j += 2;
            continue;
          }
          break;
        }
        ++j;
      }
      const std::size_t end = j < sql.size() ? j + 1 : j;
      put(sql.substr(i, end - i));
      i = end;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      const std::size_t nl = sql.find('\n', i);
      const std::size_t end = nl == std::string_view::npos ? sql.size() : nl;
      put(sql.substr(i, end - i));
      i = end;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      const std::size_t close = sql.find("*/", i + 2);
      const std::size_t end = close == std::string_view::npos ? sql.size() : close + 2;
      put(sql.substr(i, end - i));
      i = end;
    } else if (c == '?') {
      on_placeholder(out);
      ++i;
    } else {
      put(sql.substr(i, 1));
      ++i;
    }
  }
}

}  // namespace

std::string to_dollar_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 8);
  int n = 0;
  scan(sql, &out, [&n](std::string* o) {
    o->push_back('$');
    o->append(std::to_string(++n));
  });
  return out;
}

int count_placeholders(std::string_view sql) {
  int n = 0;
  scan(sql, nullptr, [&n](std::string*) { ++n; });
  return n;
}

}  // namespace tenantsync::store::sql
