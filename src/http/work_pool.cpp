#include "http/work_pool.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace tenantsync::http {

WorkPool::WorkPool(int threads, std::size_t max_queued)
    : size_(static_cast<std::size_t>(std::max(1, threads))), max_queued_(max_queued) {
  threads_.reserve(size_);
  for (std::size_t i = 0; i < size_; ++i) threads_.emplace_back([this] { run(); });
}

WorkPool::~WorkPool() { stop(); }

bool WorkPool::try_post(std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    // Every thread not running a task takes one at once (even one still starting), so only the
    // tasks beyond them count against the queue's bound.
    if (stopping_ || queue_.size() + static_cast<std::size_t>(busy_) >= size_ + max_queued_) return false;
    queue_.push_back(std::move(task));
  }
  ready_.notify_one();
  return true;
}

void WorkPool::stop() {
  std::deque<std::function<void()>> dropped;
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    dropped.swap(queue_);
    threads.swap(threads_);
  }
  ready_.notify_all();
  for (auto& t : threads) t.join();
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
    ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
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
