#include "http/work_pool.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace tenantsync::http {

WorkPool::WorkPool(int threads, std::size_t max_queued) : max_queued_(max_queued) {
  const int n = std::max(1, threads);
  threads_.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) threads_.emplace_back([this] { run(); });
}

WorkPool::~WorkPool() { stop(); }

bool WorkPool::try_post(std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    // An idle thread takes a task at once, so it does not count against the queue's bound;
    // tasks queued but not yet taken already claim those idle threads.
    const std::size_t room = static_cast<std::size_t>(idle_) + max_queued_;
    if (stopping_ || queue_.size() >= room) return false;
    queue_.push_back(std::move(task));
  }
  ready_.notify_one();
  return true;
}

void WorkPool::stop() {
  std::deque<std::function<void()>> dropped;
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
    dropped.swap(queue_);
  }
  ready_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
  // Destroyed here, outside the lock: a dropped task may own things whose destructors take time.
  dropped.clear();
}

std::size_t WorkPool::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

int WorkPool::busy() const {
  std::lock_guard lock(mutex_);
  return busy_;
}

void WorkPool::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    ++idle_;
    ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    --idle_;
    if (stopping_) return;
    auto task = std::move(queue_.front());
    queue_.pop_front();
    ++busy_;
    lock.unlock();
    try {
      task();
    } catch (const std::exception& e) {
      spdlog::error("event=pool_task_failed message=\"{}\"", e.what());
    }
    task = nullptr;  // its captures go before the next task, not when this one is replaced
    lock.lock();
    --busy_;
  }
}

}  // namespace tenantsync::http
