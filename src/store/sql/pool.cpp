#include "store/sql/pool.hpp"

#include <algorithm>
#include <string>

#include "store/sql/errors.hpp"

namespace tenantsync::store::sql {

PooledConnection& PooledConnection::operator=(PooledConnection&& other) noexcept {
  if (this != &other) {
    give_back();
    pool_ = other.pool_;
    connection_ = std::move(other.connection_);
  }
  return *this;
}

PooledConnection::~PooledConnection() { give_back(); }

void PooledConnection::give_back() {
  if (connection_ && pool_) pool_->release(std::move(connection_));
  connection_.reset();
}

ConnectionPool::ConnectionPool(Factory factory, int max_size, std::chrono::milliseconds acquire_timeout)
    : factory_(std::move(factory)),
      max_size_(max_size < 1 ? 1 : max_size),
      acquire_timeout_(acquire_timeout) {}

Result<PooledConnection> ConnectionPool::acquire() {
  const auto deadline = std::chrono::steady_clock::now() + acquire_timeout_;
  std::unique_lock lock(mutex_);
  const std::uint64_t ticket = next_ticket_++;
  queue_.push_back(ticket);
  // Leaves the queue; whoever is next now may be able to go.
  const auto leave = [&] {
    queue_.erase(std::find(queue_.begin(), queue_.end(), ticket));
    lock.unlock();
    available_.notify_all();
  };
  for (;;) {
    const bool ready = available_.wait_until(lock, deadline, [&] {
      return queue_.front() == ticket && (!idle_.empty() || open_ < max_size_);
    });
    if (!ready) {
      leave();
      return db_error("no database connection became free within " + std::to_string(acquire_timeout_.count()) +
                      " ms; the database is overloaded or a transaction is stuck");
    }
    if (idle_.empty()) break;
    std::unique_ptr<Connection> connection = std::move(idle_.back());
    idle_.pop_back();
    if (connection->alive()) {
      leave();
      return PooledConnection(this, std::move(connection));
    }
    // Closed while idle (e.g. the server restarted): drop it (outside the lock), then take
    // another or open anew, still first in the queue.
    --open_;
    lock.unlock();
    connection.reset();
    lock.lock();
  }
  // Open outside the lock: connecting can take a while and others may release meanwhile.
  ++open_;
  leave();
  Result<std::unique_ptr<Connection>> opened = factory_();
  if (!opened.ok()) {
    lock.lock();
    --open_;
    lock.unlock();
    available_.notify_all();
    return opened.error();
  }
  return PooledConnection(this, std::move(opened).value());
}

void ConnectionPool::release(std::unique_ptr<Connection> connection) {
  std::unique_ptr<Connection> dropped;  // closed after the lock is released
  {
    std::lock_guard lock(mutex_);
    if (connection->broken()) {
      --open_;
      dropped = std::move(connection);
    } else {
      idle_.push_back(std::move(connection));
    }
  }
  // Every waiter checks whether it is first in line; notify_one might wake one that is not.
  available_.notify_all();
}

int ConnectionPool::open_count() const {
  std::lock_guard lock(mutex_);
  return open_;
}

int ConnectionPool::waiting_count() const {
  std::lock_guard lock(mutex_);
  return static_cast<int>(queue_.size());
}

int ConnectionPool::idle_count() const {
  std::lock_guard lock(mutex_);
  return static_cast<int>(idle_.size());
}

}  // namespace tenantsync::store::sql
