// SQLite faults as a sync run meets them, in-process: a database locked by another connection past
// the busy timeout (SQLITE_BUSY) and a full database (SQLITE_FULL, made with PRAGMA max_page_count
// on the store's writer connection). Each fails the run with its own code and a clear message,
// changes nothing, and the next run succeeds once the fault is gone.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "store/sql_store.hpp"
#include "store/sqlite/sqlite_database.hpp"
#include "support/fake_connectors.hpp"
#include "sync/engine.hpp"

namespace tenantsync::store::sqlite {
namespace {

using sync::test::fake_record;

class SqliteFaultsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("ts-sqlite-faults-" + crypto::random_hex(6));
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "db.sqlite").string();
    // A short busy timeout, so a held lock fails a write within the test's patience.
    DatabaseOptions options;
    options.readers = 2;
    options.busy_timeout_ms = 100;
    auto opened = SqliteDatabase::open(path_, options);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    db_ = opened->get();
    store_ = std::make_unique<SqlStore>(std::move(opened).value());
    ASSERT_TRUE(store_->migrate().ok());
    auto box = crypto::SecretBox::from_key_file(dir_ / "secret.key");
    ASSERT_TRUE(box.ok());
    secrets_ = std::make_unique<crypto::SecretBox>(*box);
    auto created = store_->create_tenant_with_user("acme", "ops@acme.test", "x", clock_.now());
    ASSERT_TRUE(created.ok());
    tenant_ = created->first.id;
    auto settings = store_->get_settings(tenant_);
    ASSERT_TRUE(settings.ok());
    settings->voice_api_key_cipher = secrets_->seal("key-1");
    ASSERT_TRUE(store_->put_settings(*settings, clock_.now()).ok());

    auto& a = connectors_.accounts["key-1"];
    a.account = {"acct-1", "acct-1", ""};
    a.agents.push_back(fake_record("agent-1", "Agent 1"));
    // Enough rows that writing them needs many more pages than the full database has left.
    for (int i = 0; i < 2000; ++i)
      a.phone_numbers.push_back(
          fake_record("number-" + std::to_string(i), std::string(200, 'n') + std::to_string(i)));
    engine_ = std::make_unique<sync::SyncEngine>(sync::SyncStores::of(*store_), clock_, *secrets_,
                                                 connectors_, events_, sync::EngineOptions{});
  }

  void TearDown() override {
    engine_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  SyncRun sync_now() {
    auto ticket = engine_->request(tenant_, core::RunTarget::voice(), core::RunTrigger::manual);
    EXPECT_TRUE(ticket.ok()) << ticket.error().message;
    while (engine_->run_one()) {
    }
    auto run = store_->find_run(tenant_, ticket->run.id);
    EXPECT_TRUE(run.ok() && run->has_value());
    return **run;
  }

  MirrorCounts counts() {
    auto c = store_->count_mirror(tenant_);
    EXPECT_TRUE(c.ok());
    return *c;
  }

  // Runs a statement on the store's own writer connection (the pool has exactly one).
  void on_writer(const std::string& statement) {
    auto writer = db_->acquire(sql::Access::write);
    ASSERT_TRUE(writer.ok()) << writer.error().message;
    ASSERT_TRUE((*writer)->exec(statement).ok()) << statement;
  }

  std::filesystem::path dir_;
  std::string path_;
  SqliteDatabase* db_ = nullptr;
  std::unique_ptr<Store> store_;
  std::unique_ptr<crypto::SecretBox> secrets_;
  FakeClock clock_{1'790'000'000'000};
  sync::test::FakeConnectors connectors_;
  sync::EventBus events_;
  std::unique_ptr<sync::SyncEngine> engine_;
  TenantId tenant_{0};
};

// Another process's lock, as SQLite sees it: a second connection to the same file.
class ForeignLock {
 public:
  explicit ForeignLock(const std::string& path) {
    EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  }
  ~ForeignLock() {
    release();
    sqlite3_close(db_);
  }
  ForeignLock(const ForeignLock&) = delete;
  ForeignLock& operator=(const ForeignLock&) = delete;
  void release() {
    if (held_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    held_ = false;
  }

 private:
  sqlite3* db_ = nullptr;
  bool held_ = true;
};

TEST_F(SqliteFaultsTest, TheWriterCopiesItsLogBackEvery10000PagesAndReadersNeverDo) {
  const auto autocheckpoint = [&](sql::Access access) -> std::int64_t {
    auto c = db_->acquire(access);
    EXPECT_TRUE(c.ok());
    auto r = (*c)->query("PRAGMA wal_autocheckpoint", {});
    EXPECT_TRUE(r.ok() && !r->empty());
    return r->rows.front().int64(0);
  };
  EXPECT_EQ(autocheckpoint(sql::Access::write), 10'000);
  // A reader is query_only: it has no writes of its own to copy back, and keeps SQLite's default.
  EXPECT_EQ(autocheckpoint(sql::Access::read), 1'000);
}

TEST_F(SqliteFaultsTest, AWriteLockedPastTheBusyTimeoutIsStoreBusy) {
  ForeignLock lock(path_);
  auto ticket = store_->request_run(tenant_, core::RunTarget::voice(), core::RunTrigger::manual, false,
                                    std::chrono::minutes(5), clock_.now(), 0);
  ASSERT_FALSE(ticket.ok());
  EXPECT_TRUE(ticket.error().is(core::ErrorCode::store_busy)) << ticket.error().message;
  EXPECT_NE(ticket.error().message.find("locked"), std::string::npos) << ticket.error().message;
  // Readers go on under WAL: the dashboard still shows what there is.
  EXPECT_TRUE(store_->count_mirror(tenant_).ok());
  lock.release();
  EXPECT_TRUE(store_
                  ->request_run(tenant_, core::RunTarget::voice(), core::RunTrigger::manual, false,
                                std::chrono::minutes(5), clock_.now(), 0)
                  .ok());
}

TEST_F(SqliteFaultsTest, ARunWhoseApplyMeetsALockedDatabaseFailsWithStoreBusyAndTheNextSucceeds) {
  // Another process takes the write lock while the run reads its last listing, and keeps it well
  // past the busy timeout: the apply fails; the run's outcome is written once the lock is gone.
  std::unique_ptr<ForeignLock> lock;
  std::thread releaser;
  connectors_.accounts["key-1"].on_call = [&](const std::string& call) {
    if (call != "executions" || lock) return;
    lock = std::make_unique<ForeignLock>(path_);
    releaser = std::thread([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(1500));
      lock->release();
    });
  };
  const SyncRun failed = sync_now();
  releaser.join();
  EXPECT_EQ(failed.state, core::RunState::failed);
  EXPECT_EQ(failed.error_code, core::ErrorCode::store_busy) << failed.error_message;
  EXPECT_NE(failed.error_message.find("Sync failed: the changes could not be saved"), std::string::npos)
      << failed.error_message;
  EXPECT_NE(failed.error_message.find("locked"), std::string::npos) << failed.error_message;
  EXPECT_EQ(counts().agents, 0);
  EXPECT_EQ(counts().phone_numbers, 0);

  connectors_.accounts["key-1"].on_call = nullptr;
  const SyncRun next = sync_now();
  EXPECT_EQ(next.state, core::RunState::succeeded) << next.error_message;
  EXPECT_EQ(counts().phone_numbers, 2000);
}

TEST_F(SqliteFaultsTest, AFullDatabaseFailsTheRunWithStoreFullRollsBackAndTheNextSucceeds) {
  // The database may grow by a few pages only: the run's bookkeeping fits, its 2,000 rows do not.
  std::int64_t page_count = 0;
  {
    auto writer = db_->acquire(sql::Access::write);
    ASSERT_TRUE(writer.ok());
    auto pages = (*writer)->query("PRAGMA page_count");
    ASSERT_TRUE(pages.ok());
    page_count = pages->rows.at(0).int64(0);
  }
  ASSERT_NO_FATAL_FAILURE(on_writer("PRAGMA max_page_count = " + std::to_string(page_count + 10)));

  const SyncRun failed = sync_now();
  EXPECT_EQ(failed.state, core::RunState::failed);
  EXPECT_EQ(failed.error_code, core::ErrorCode::store_full) << failed.error_message;
  EXPECT_NE(failed.error_message.find("the database is full"), std::string::npos) << failed.error_message;
  EXPECT_EQ(counts().agents, 0);
  EXPECT_EQ(counts().phone_numbers, 0);

  // The operator makes room; the next run writes everything.
  ASSERT_NO_FATAL_FAILURE(on_writer("PRAGMA max_page_count = 1073741823"));
  const SyncRun next = sync_now();
  EXPECT_EQ(next.state, core::RunState::succeeded) << next.error_message;
  EXPECT_EQ(counts().agents, 1);
  EXPECT_EQ(counts().phone_numbers, 2000);
}

}  // namespace
}  // namespace tenantsync::store::sqlite
