#pragma once
// A value of one kind that cannot be mixed with another kind of the same representation: a
// TenantId is not a RunId, though both are 64-bit integers (after userver's StrongTypedef).
// Construction is explicit; the value comes out only through value().
#include <compare>
#include <cstddef>
#include <functional>
#include <ostream>
#include <utility>

#include <fmt/format.h>

namespace tenantsync {

template <class Tag, class T>
class StrongTypedef {
 public:
  using UnderlyingType = T;

  constexpr StrongTypedef() = default;
  constexpr explicit StrongTypedef(T value) : value_(std::move(value)) {}

  constexpr const T& value() const { return value_; }

  friend constexpr bool operator==(const StrongTypedef&, const StrongTypedef&) = default;
  friend constexpr auto operator<=>(const StrongTypedef&, const StrongTypedef&) = default;

  /// For test failure messages and debugging; JSON uses value().
  friend std::ostream& operator<<(std::ostream& out, const StrongTypedef& v) { return out << v.value_; }

 private:
  T value_{};
};

}  // namespace tenantsync

template <class Tag, class T>
struct std::hash<tenantsync::StrongTypedef<Tag, T>> {
  std::size_t operator()(const tenantsync::StrongTypedef<Tag, T>& v) const noexcept {
    return std::hash<T>{}(v.value());
  }
};

/// Logs print a typed id as its value: `spdlog::info("tenant_id={}", tenant_id)`.
template <class Tag, class T>
struct fmt::formatter<tenantsync::StrongTypedef<Tag, T>> : fmt::formatter<T> {
  auto format(const tenantsync::StrongTypedef<Tag, T>& v, fmt::format_context& ctx) const {
    return fmt::formatter<T>::format(v.value(), ctx);
  }
};
