// Durations of the configuration ("90s", "15m", "250ms", plain seconds): a non-negative
// duration that reads the same in milliseconds, or nothing.
#include "core/duration.hpp"
#include "fuzz_support.hpp"

using namespace tenantsync;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parsed = parse_duration(fuzz::text_of(data, size));
  if (!parsed) return 0;
  fuzz::check(parsed->count() >= 0, "a negative duration");
  const auto again = parse_duration(std::to_string(parsed->count()) + "ms");
  fuzz::check(again == parsed, "a duration that reads differently in milliseconds");
  return 0;
}
