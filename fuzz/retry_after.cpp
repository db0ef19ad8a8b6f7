// Retry-After values (delta-seconds or an IMF-fixdate): a wait between zero and the cap, or
// malformed; a plain number of seconds is that many seconds, up to the cap.
#include <algorithm>

#include "core/retry_after.hpp"
#include "fuzz_support.hpp"

using namespace tenantsync;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::text_of(data, size);
  const TimePoint now = from_epoch_ms(1'790'000'000'000);
  const Millis cap = std::chrono::minutes(2);
  const auto capped = core::parse_retry_after(text, now, cap);
  const auto uncapped = core::parse_retry_after(text, now);
  fuzz::check(capped.has_value() == uncapped.has_value(), "the cap changed whether a value is malformed");
  if (!capped) return 0;
  fuzz::check(*capped >= Millis(0) && *capped <= cap, "a wait outside zero..cap");
  fuzz::check(*uncapped >= Millis(0) && *uncapped <= core::kRetryAfterCeiling, "a wait outside zero..ceiling");
  fuzz::check(*capped == std::min(*uncapped, cap), "the cap is not a cap");
  if (!text.empty() && text.size() <= 6 && std::all_of(text.begin(), text.end(), [](char c) {
        return c >= '0' && c <= '9';
      }))
    fuzz::check(*uncapped == Millis(std::stoll(std::string(text)) * 1000), "seconds misread");
  return 0;
}
