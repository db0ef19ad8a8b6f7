#pragma once
// A bounded pool of connections: acquire blocks until one is free or the timeout passes;
// connections are opened lazily by a factory, and a connection that comes back broken is
// dropped so that the next acquire opens a fresh one. Waiters are served first come, first
// served: a thread that gives a connection back and asks again at once (a sync staging page
// after page on SQLite's one writer) queues behind those already waiting (a lease renewal),
// instead of taking the connection back before they wake.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "core/result.hpp"
#include "store/sql/connection.hpp"

namespace tenantsync::store::sql {

class ConnectionPool;

/// A connection borrowed from a pool; returns it when destroyed.
class PooledConnection {
 public:
  PooledConnection(ConnectionPool* pool, std::unique_ptr<Connection> connection)
      : pool_(pool), connection_(std::move(connection)) {}
  PooledConnection(PooledConnection&&) noexcept = default;
  PooledConnection& operator=(PooledConnection&& other) noexcept;
  PooledConnection(const PooledConnection&) = delete;
  PooledConnection& operator=(const PooledConnection&) = delete;
  ~PooledConnection();

  Connection& operator*() const { return *connection_; }
  Connection* operator->() const { return connection_.get(); }

 private:
  void give_back();

  ConnectionPool* pool_;
  std::unique_ptr<Connection> connection_;
};

class ConnectionPool {
 public:
  using Factory = std::function<Result<std::unique_ptr<Connection>>()>;

  /// max_size connections at most; acquire waits up to acquire_timeout for one.
  ConnectionPool(Factory factory, int max_size, std::chrono::milliseconds acquire_timeout);
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  /// An idle connection, a new one if the pool is not full, else waits its turn behind earlier
  /// callers; "db_error" on timeout or when opening a connection fails.
  Result<PooledConnection> acquire();

  int max_size() const { return max_size_; }
  /// Connections currently open (idle or lent out).
  int open_count() const;
  int idle_count() const;
  /// Callers waiting in acquire() now.
  int waiting_count() const;

 private:
  friend class PooledConnection;
  void release(std::unique_ptr<Connection> connection);

  Factory factory_;
  const int max_size_;
  const std::chrono::milliseconds acquire_timeout_;
  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;
  std::uint64_t next_ticket_ = 0;
  std::deque<std::uint64_t> queue_;  ///< tickets of the callers in acquire(), oldest first
};

}  // namespace tenantsync::store::sql
