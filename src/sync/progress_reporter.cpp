#include "sync/progress_reporter.hpp"

#include "core/time_format.hpp"

namespace tenantsync::sync {
namespace {

constexpr std::chrono::milliseconds kPublishProgressEvery{200};
constexpr std::chrono::milliseconds kStoreProgressEvery{1'000};

}  // namespace

void ProgressReporter::report(const RunProgress& progress) {
  std::lock_guard lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (now - last_publish_ < kPublishProgressEvery && progress.waiting_until.empty() &&
      progress.phase == last_phase_)
    return;
  last_publish_ = now;
  events_.progress(run_, progress);
  // A new phase is always stored, so the run history never shows a stale one.
  if (now - last_store_ >= kStoreProgressEvery || progress.phase != last_phase_) {
    last_store_ = now;
    last_phase_ = progress.phase;
    (void)queue_.update_run_progress(run_.id, progress_json(progress), clock_.now());
  }
}

WaitObserver waits_as_progress(ProgressFn progress) {
  return [progress = std::move(progress)](TimePoint until, const std::string& reason) {
    RunProgress waiting;
    waiting.phase = "waiting";
    waiting.waiting_until = format_iso8601(until);
    waiting.waiting_reason = reason;
    progress(waiting);
  };
}

}  // namespace tenantsync::sync
