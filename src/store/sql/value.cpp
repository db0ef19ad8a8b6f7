#include "store/sql/value.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace tenantsync::store::sql {

std::int64_t Row::int64(std::size_t i) const {
  const Value& v = values_.at(i);
  if (const auto* n = std::get_if<std::int64_t>(&v)) return *n;
  if (const auto* d = std::get_if<double>(&v)) return static_cast<std::int64_t>(std::llround(*d));
  if (const auto* s = std::get_if<std::string>(&v)) {
    std::int64_t out = 0;
    std::from_chars(s->data(), s->data() + s->size(), out);
    return out;
  }
  return 0;
}

double Row::real(std::size_t i) const {
  const Value& v = values_.at(i);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* n = std::get_if<std::int64_t>(&v)) return static_cast<double>(*n);
  if (const auto* s = std::get_if<std::string>(&v)) return std::strtod(s->c_str(), nullptr);
  return 0;
}

std::string Row::text(std::size_t i) const {
  const Value& v = values_.at(i);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* n = std::get_if<std::int64_t>(&v)) return std::to_string(*n);
  if (const auto* d = std::get_if<double>(&v)) return std::to_string(*d);
  return {};
}

std::optional<std::int64_t> Row::opt_int64(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return int64(i);
}

std::optional<std::string> Row::opt_text(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return text(i);
}

}  // namespace tenantsync::store::sql
