#pragma once
// A fixed set of threads with a bounded queue. Work beyond the queue is refused at once, so the
// caller can answer "overloaded" (or fall back to something cheaper) instead of letting requests
// pile up behind slow ones. The server runs its handlers on one; the API runs long work (waiting
// for a run, checking a key at an upstream) on others, so that work never holds request threads.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tenantsync::http {

class WorkPool {
 public:
  /// `threads` (at least 1) run the work; up to `max_queued` tasks wait when all are busy.
  WorkPool(int threads, std::size_t max_queued);
  ~WorkPool();
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;

  /// Queues `task`; false, and `task` is dropped unrun, when every thread is busy and max_queued
  /// tasks already wait (or the pool is stopped).
  bool try_post(std::function<void()> task);
  /// Lets running tasks finish, drops the ones still queued, and joins the threads. Idempotent.
  void stop();

  /// Tasks waiting for a thread, and threads running one (for /metrics and tests).
  std::size_t queued() const;
  int busy() const;

 private:
  void run();

  const std::size_t size_;  ///< threads
  const std::size_t max_queued_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;  ///< guarded by mutex_
  int busy_ = 0;                             ///< guarded by mutex_
  bool stopping_ = false;                    ///< guarded by mutex_
  std::vector<std::thread> threads_;         ///< guarded by mutex_ once started
};

}  // namespace tenantsync::http
