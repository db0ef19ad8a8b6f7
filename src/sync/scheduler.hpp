#pragma once
// The built-in scheduler: at each tick of a cron expression it runs an action (queue a sync of
// every target). Each tick is claimed in the database first, so in a cluster of instances
// sharing one PostgreSQL exactly one instance acts on it.
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/cron.hpp"
#include "store/run_queue.hpp"

namespace tenantsync::sync {

struct ScheduledAction {
  std::string name;  ///< "voice", "crm": with the expression, the key of its ticks
  core::CronSchedule schedule;
  std::string expression;
  std::function<void(TimePoint tick)> action;
};

class Scheduler {
 public:
  /// `queue` claims each tick once for the cluster.
  Scheduler(store::RunQueue& queue, const Clock& clock, std::string instance_id);
  ~Scheduler();

  void add(ScheduledAction action);
  /// Starts the scheduler thread.
  void start();
  void stop();
  /// Runs every action whose next tick after `last` is at or before `now` (claiming the tick);
  /// returns how many ran. The thread calls it; tests call it with a FakeClock.
  int run_due(TimePoint last, TimePoint now);

 private:
  void loop();

  store::RunQueue& queue_;
  const Clock& clock_;
  std::string instance_id_;
  std::vector<ScheduledAction> actions_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace tenantsync::sync
