#pragma once
// Deterministic ids for simulated records: the same seed gives the same ids on every machine
// (SplitMix64 is fully specified, unlike the standard library's distributions).
#include <cstdint>
#include <string>
#include <string_view>

namespace tenantsync::sim {

class IdGen {
 public:
  explicit IdGen(std::uint64_t seed = 0x5eed) : state_(seed) {}
  std::uint64_t next();
  /// A value in [0, bound); bound > 0.
  std::uint64_t below(std::uint64_t bound) { return next() % bound; }
  /// `length` lower-case hex digits.
  std::string hex(std::size_t length);
  /// `count` decimal digits.
  std::string digits(int count);
  /// A version-4-shaped UUID ("xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx").
  std::string uuid();

 private:
  std::uint64_t state_;
};

/// FNV-1a, to mix names (account ids) into seeds portably.
std::uint64_t fnv1a(std::string_view text);

}  // namespace tenantsync::sim
