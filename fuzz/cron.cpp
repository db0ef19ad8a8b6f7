// Cron expressions: an error naming the field, or a schedule whose next time is a whole minute
// after the given time, whose next after that is later still, and that reads the same again
// from its own text.
#include "core/cron.hpp"
#include "fuzz_support.hpp"

using namespace tenantsync;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 256) return 0;  // no real expression is longer; keeps each run fast
  auto schedule = core::parse_cron(fuzz::text_of(data, size));
  if (!schedule.ok()) {
    fuzz::check_error(schedule.error());
    return 0;
  }
  const TimePoint now = from_epoch_ms(1'790'000'123'456);
  const auto next = schedule->next_after(now);
  auto again = core::parse_cron(schedule->expression());
  fuzz::check(again.ok(), "a schedule's own text does not parse");
  fuzz::check(again->next_after(now) == next, "a schedule's own text means something else");
  if (!next) return 0;
  fuzz::check(*next > now, "a next time not after now");
  fuzz::check(to_epoch_ms(*next) % 60'000 == 0, "a next time that is no whole minute");
  fuzz::check(*next - now <= std::chrono::hours(24 * 366 * 10 + 24), "a next time beyond ten years");
  const auto after = schedule->next_after(*next);
  if (after) fuzz::check(*after > *next, "the time after next is not later");
  return 0;
}
