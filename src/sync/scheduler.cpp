#include "sync/scheduler.hpp"

#include <spdlog/spdlog.h>

#include "core/time_format.hpp"

namespace tenantsync::sync {

Scheduler::Scheduler(store::RunQueue& queue, const Clock& clock, std::string instance_id)
    : queue_(queue), clock_(clock), instance_id_(std::move(instance_id)) {}

Scheduler::~Scheduler() { stop(); }

void Scheduler::add(ScheduledAction action) { actions_.push_back(std::move(action)); }

void Scheduler::start() {
  if (actions_.empty()) return;
  thread_ = std::thread([this] { loop(); });
}

void Scheduler::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

int Scheduler::run_due(TimePoint last, TimePoint now) {
  int ran = 0;
  for (const auto& a : actions_) {
    // Only the newest due tick matters: after a long pause one catch-up run is enough.
    std::optional<TimePoint> due;
    for (auto t = a.schedule.next_after(last); t && *t <= now; t = a.schedule.next_after(*t)) due = t;
    if (!due) continue;
    auto claimed =
        queue_.claim_tick(a.name + " " + a.expression, *due, instance_id_, now);
    if (!claimed.ok()) {
      spdlog::error("event=tick_claim_failed schedule={} message=\"{}\"", a.name, claimed.error().message);
      continue;
    }
    if (!*claimed) continue;  // another instance has it
    spdlog::info("event=schedule_tick schedule={} tick={}", a.name, format_iso8601(*due));
    try {
      a.action(*due);
      ++ran;
    } catch (const std::exception& e) {
      spdlog::error("event=schedule_action_failed schedule={} message=\"{}\"", a.name, e.what());
    }
  }
  return ran;
}

void Scheduler::loop() {
  TimePoint last = clock_.now();
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    // Wake at the earliest next tick (or within a minute, so a changed clock is noticed).
    TimePoint wake = last + std::chrono::minutes(1);
    for (const auto& a : actions_)
      if (auto t = a.schedule.next_after(last); t && *t < wake) wake = *t;
    const auto delay = std::max(std::chrono::milliseconds(0),
                                std::chrono::duration_cast<std::chrono::milliseconds>(wake - clock_.now()));
    cv_.wait_for(lock, delay, [this] { return stopping_; });
    if (stopping_) break;
    const TimePoint now = clock_.now();
    if (now < wake) continue;
    lock.unlock();
    run_due(last, now);
    last = now;
    lock.lock();
  }
}

}  // namespace tenantsync::sync
