#pragma once
// What every fuzz target shares: the invariant check (a broken invariant aborts, so libFuzzer
// keeps the input as a crash, like a sanitizer report) and the stable-error check. Clients are
// fuzzed through their public interface over tests/support's scripted HTTP client: no network.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/error_code.hpp"
#include "core/result.hpp"

namespace tenantsync::fuzz {

/// Aborts with `what` when `condition` is false: the input broke an invariant of the parser.
inline void check(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

/// The input as text.
inline std::string_view text_of(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// An error is one of the stable codes, with a message a person can read.
inline void check_error(const Error& error) {
  check(!error.message.empty(), "an error without a message");
  check(!core::to_string(error.code).empty(), "an error without a code");
}

/// Whether every byte of `text` is a lower-case hex digit.
inline bool lower_hex(std::string_view text) {
  for (char c : text)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace tenantsync::fuzz
