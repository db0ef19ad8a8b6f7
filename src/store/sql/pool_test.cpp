#include "store/sql/pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>
#include <thread>

#include "store/sql/errors.hpp"
#include "store/sql/transaction.hpp"

namespace tenantsync::store::sql {
namespace {

using namespace std::chrono_literals;

// Records the statements it is given; can be told to fail them.
class FakeConnection final : public Connection {
 public:
  explicit FakeConnection(int id, std::vector<std::string>* log) : id_(id), log_(log) {}
  std::string_view backend() const override { return "fake"; }
  Status exec(std::string_view sql) override {
    log_->push_back(std::string(sql));
    if (fail_ && sql != "BEGIN") return db_error("exec failed");
    return {};
  }
  Result<QueryResult> query(std::string_view sql, const Params&) override {
    log_->push_back(std::string(sql));
    return QueryResult{};
  }
  std::string_view begin_statement(Access access) const override {
    return access == Access::write ? "BEGIN IMMEDIATE" : "BEGIN";
  }
  bool broken() const override { return broken_; }
  void mark_broken() override { broken_ = true; }
  bool alive() override { return !broken_ && !dead_; }

  int id_;
  bool fail_ = false;
  bool broken_ = false;
  bool dead_ = false;
  std::vector<std::string>* log_;
};

struct Counter {
  std::atomic<int> opened{0};
  std::vector<std::string> log;
  ConnectionPool::Factory factory() {
    return [this]() -> Result<std::unique_ptr<Connection>> {
      return std::unique_ptr<Connection>(std::make_unique<FakeConnection>(++opened, &log));
    };
  }
};

FakeConnection& fake(PooledConnection& c) { return static_cast<FakeConnection&>(*c); }
int id_of(PooledConnection& c) { return fake(c).id_; }

// Borrows a connection, lets `change` alter it (if given) and gives it back.
void borrow(ConnectionPool& pool, const std::function<void(FakeConnection&)>& change = {}) {
  Result<PooledConnection> c = pool.acquire();
  ASSERT_TRUE(c.ok());
  if (change) change(fake(*c));
}

// Borrows a connection, expects the one opened as the id-th, and gives it back.
void expect_lent(ConnectionPool& pool, int id) {
  Result<PooledConnection> c = pool.acquire();
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(id_of(*c), id);
}

TEST(ConnectionPool, OpensLazilyAndReusesIdleConnections) {
  Counter counter;
  ConnectionPool pool(counter.factory(), 2, 100ms);
  EXPECT_EQ(pool.open_count(), 0);
  ASSERT_NO_FATAL_FAILURE(expect_lent(pool, 1));
  ASSERT_NO_FATAL_FAILURE(expect_lent(pool, 1));
  EXPECT_EQ(counter.opened, 1);
}

TEST(ConnectionPool, TimesOutWhenAllConnectionsAreLent) {
  Counter counter;
  ConnectionPool pool(counter.factory(), 1, 50ms);
  Result<PooledConnection> held = pool.acquire();
  ASSERT_TRUE(held.ok());
  const auto start = std::chrono::steady_clock::now();
  Result<PooledConnection> waited = pool.acquire();
  ASSERT_FALSE(waited.ok());
  EXPECT_EQ(waited.error().code, core::ErrorCode::db_error);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 45ms);
}

TEST(ConnectionPool, WaiterGetsTheConnectionWhenReleased) {
  Counter counter;
  ConnectionPool pool(counter.factory(), 1, 5000ms);
  std::optional<Result<PooledConnection>> held(pool.acquire());
  ASSERT_TRUE(held->ok());
  std::thread releaser([&] {
    std::this_thread::sleep_for(30ms);
    held.reset();
  });
  Result<PooledConnection> waited = pool.acquire();
  releaser.join();
  ASSERT_TRUE(waited.ok());
  EXPECT_EQ(id_of(*waited), 1);
}

TEST(ConnectionPool, ACallerThatGivesBackAndAsksAgainQueuesBehindAnEarlierWaiter) {
  Counter counter;
  ConnectionPool pool(counter.factory(), 1, 5000ms);
  std::optional<Result<PooledConnection>> held(pool.acquire());
  ASSERT_TRUE(held->ok());
  std::mutex order_mutex;
  std::vector<std::string> order;
  const auto served = [&](const char* who) {
    std::lock_guard lock(order_mutex);
    order.emplace_back(who);
  };
  std::thread waiter([&] {
    Result<PooledConnection> c = pool.acquire();
    ASSERT_TRUE(c.ok());
    served("waiter");
    std::this_thread::sleep_for(20ms);
  });
  while (pool.waiting_count() == 0) std::this_thread::sleep_for(1ms);
  // Give back and ask again at once, as a loop of writes does: the waiter goes first.
  held.reset();
  Result<PooledConnection> again = pool.acquire();
  ASSERT_TRUE(again.ok());
  served("again");
  waiter.join();
  EXPECT_EQ(order, (std::vector<std::string>{"waiter", "again"}));
  EXPECT_EQ(pool.waiting_count(), 0);
}

TEST(ConnectionPool, AWaiterThatTimedOutLeavesTheQueue) {
  Counter counter;
  ConnectionPool pool(counter.factory(), 1, 50ms);
  std::optional<Result<PooledConnection>> held(pool.acquire());
  ASSERT_TRUE(held->ok());
  EXPECT_FALSE(pool.acquire().ok());
  EXPECT_EQ(pool.waiting_count(), 0);
  held.reset();
  ASSERT_NO_FATAL_FAILURE(expect_lent(pool, 1));
}

TEST(ConnectionPool, ReplacesBrokenConnections) {
  Counter counter;
  ConnectionPool pool(counter.factory(), 1, 100ms);
  ASSERT_NO_FATAL_FAILURE(borrow(pool, [](FakeConnection& c) { c.mark_broken(); }));
  EXPECT_EQ(pool.open_count(), 0);
  ASSERT_NO_FATAL_FAILURE(expect_lent(pool, 2));
}

TEST(ConnectionPool, SkipsIdleConnectionsThatDiedWhileIdle) {
  Counter counter;
  ConnectionPool pool(counter.factory(), 1, 100ms);
  ASSERT_NO_FATAL_FAILURE(borrow(pool));
  // Idle again, and then it dies (e.g. the server closed it).
  ASSERT_NO_FATAL_FAILURE(borrow(pool, [](FakeConnection& c) { c.dead_ = true; }));
  ASSERT_NO_FATAL_FAILURE(expect_lent(pool, 2));
  EXPECT_EQ(pool.open_count(), 1);
}

TEST(ConnectionPool, FailedOpenFreesTheSlot) {
  int attempts = 0;
  ConnectionPool pool(
      [&]() -> Result<std::unique_ptr<Connection>> {
        ++attempts;
        return db_error("server down");
      },
      1, 100ms);
  EXPECT_FALSE(pool.acquire().ok());
  Result<PooledConnection> second = pool.acquire();
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().message, "server down");
  EXPECT_EQ(attempts, 2);
}

TEST(Transaction, RollsBackUnlessCommitted) {
  Counter counter;
  ConnectionPool pool(counter.factory(), 1, 100ms);
  {
    Result<Transaction> tx = Transaction::begin(pool.acquire().value(), Access::write);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(tx->query("UPDATE x").ok());
  }
  {
    Result<Transaction> tx = Transaction::begin(pool.acquire().value(), Access::read);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(tx->commit().ok());
  }
  EXPECT_EQ(counter.log,
            (std::vector<std::string>{"BEGIN IMMEDIATE", "UPDATE x", "ROLLBACK", "BEGIN", "COMMIT"}));
}

TEST(Transaction, FailedRollbackMarksTheConnectionBroken) {
  Counter counter;
  ConnectionPool pool(counter.factory(), 1, 100ms);
  {
    Result<PooledConnection> c = pool.acquire();
    ASSERT_TRUE(c.ok());
    fake(*c).fail_ = true;
    Result<Transaction> tx = Transaction::begin(std::move(c).value(), Access::read);
    ASSERT_TRUE(tx.ok());
  }
  EXPECT_EQ(pool.open_count(), 0);  // dropped, not reused
}

}  // namespace
}  // namespace tenantsync::store::sql
