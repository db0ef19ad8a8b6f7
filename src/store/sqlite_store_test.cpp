// The shared Store suite on SQLite (a temporary file per test), and SQLite-only behaviour.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "store/sql_store.hpp"
#include "store/sqlite/sqlite_connection.hpp"
#include "support/store_suite.hpp"

namespace tenantsync::store::test {
namespace {

namespace fs = std::filesystem;

// A folder of its own under the temp dir; the database file sits in a subfolder that does not
// exist yet, so every test also checks that open_store creates it.
class SqliteTestDatabase final : public TestDatabase {
 public:
  SqliteTestDatabase() {
    std::random_device random;
    dir_ = fs::temp_directory_path() /
           ("tenantsync-store-" + std::to_string(random()) + std::to_string(random()));
  }
  ~SqliteTestDatabase() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string url() const override { return "sqlite:" + path(); }
  std::string path() const { return (dir_ / "data" / "store.db").string(); }

 private:
  fs::path dir_;
};

StoreBackend sqlite_backend() {
  return StoreBackend{"Sqlite", [] { return std::make_unique<SqliteTestDatabase>(); }};
}

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreSuite, ::testing::Values(sqlite_backend()), backend_name);

TEST(SqliteStore, RejectsUrlsItDoesNotKnow) {
  for (const char* url : {"mysql://localhost/db", "sqlite:", "", "/tmp/x.db", "sqlite://"}) {
    Result<std::unique_ptr<Store>> opened = open_store(url);
    ASSERT_FALSE(opened.ok()) << url;
    EXPECT_EQ(opened.error().code, core::ErrorCode::bad_database_url) << url;
  }
}

TEST(SqliteStore, DoesNotEchoTheWholeUrlInErrors) {
  Result<std::unique_ptr<Store>> opened = open_store("mysql://user:hunter2@db/x");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().message.find("hunter2"), std::string::npos);
}

TEST(SqliteStore, UnopenableFileIsDbError) {
  SqliteTestDatabase db;
  // The database path is an existing folder: SQLite cannot open it as a file.
  fs::create_directories(db.path());
  Result<std::unique_ptr<Store>> opened = open_store(db.url());
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, core::ErrorCode::db_error);
}

TEST(SqliteStore, CreatesFolderAndUsesWal) {
  SqliteTestDatabase db;
  Result<std::unique_ptr<Store>> opened = open_store(db.url());
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_TRUE(fs::exists(db.path()));
  auto& sql_db = dynamic_cast<SqlStore&>(**opened).database();
  for (sql::Access access : {sql::Access::read, sql::Access::write}) {
    Result<sql::QueryResult> mode = sql_db.query(access, "PRAGMA journal_mode");
    ASSERT_TRUE(mode.ok());
    EXPECT_EQ(mode->rows.at(0).text(0), "wal");
    Result<sql::QueryResult> fk = sql_db.query(access, "PRAGMA foreign_keys");
    ASSERT_TRUE(fk.ok());
    EXPECT_EQ(fk->rows.at(0).int64(0), 1);
    Result<sql::QueryResult> sync = sql_db.query(access, "PRAGMA synchronous");
    ASSERT_TRUE(sync.ok());
    EXPECT_EQ(sync->rows.at(0).int64(0), 1);  // NORMAL
  }
}

TEST(SqliteStore, ReaderConnectionsRefuseWrites) {
  SqliteTestDatabase db;
  Result<std::unique_ptr<Store>> opened = open_store(db.url());
  ASSERT_TRUE(opened.ok());
  ASSERT_TRUE((*opened)->migrate().ok());
  auto& sql_db = dynamic_cast<SqlStore&>(**opened).database();
  Result<sql::QueryResult> write =
      sql_db.query(sql::Access::read, "INSERT INTO tenants (name, created_at) VALUES ('x', 1)");
  EXPECT_FALSE(write.ok());
  EXPECT_TRUE(
      sql_db.query(sql::Access::write, "INSERT INTO tenants (name, created_at) VALUES ('x', 1)").ok());
}

TEST(SqliteStore, ReadersSeeCommittedDataWhileAWriteIsOpen) {
  SqliteTestDatabase db;
  Result<std::unique_ptr<Store>> opened = open_store(db.url());
  ASSERT_TRUE(opened.ok());
  Store& store = **opened;
  ASSERT_TRUE(store.migrate().ok());
  ASSERT_TRUE(store.create_tenant_with_user("Acme", "a@acme.test", "h", at(1)).ok());
  auto& sql_db = dynamic_cast<SqlStore&>(store).database();
  Result<sql::Transaction> tx = sql_db.begin(sql::Access::write);
  ASSERT_TRUE(tx.ok());
  ASSERT_TRUE(tx->query("INSERT INTO tenants (name, created_at) VALUES ('Pending', 2)").ok());
  // WAL: a reader is not blocked by the open write and sees only committed rows.
  Result<std::vector<Tenant>> tenants = store.list_tenants();
  ASSERT_TRUE(tenants.ok());
  EXPECT_EQ(tenants->size(), 1u);
  ASSERT_TRUE(tx->commit().ok());
  Result<std::vector<Tenant>> after = store.list_tenants();
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->size(), 2u);
}

TEST(SqliteStore, InMemoryDatabaseWorksOnOneConnection) {
  Result<std::unique_ptr<Store>> opened = open_store("sqlite::memory:");
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  ASSERT_TRUE((*opened)->migrate().ok());
  auto created = (*opened)->create_tenant_with_user("Acme", "a@acme.test", "h", at(1));
  ASSERT_TRUE(created.ok());
  Result<std::optional<User>> user = (*opened)->find_user_by_email("a@acme.test");
  ASSERT_TRUE(user.ok());
  EXPECT_TRUE(user->has_value());
}

TEST(SqliteConnection, CachesPreparedStatementsAndChecksParameterCount) {
  SqliteTestDatabase db;
  fs::create_directories(fs::path(db.path()).parent_path());
  Result<std::unique_ptr<sqlite::SqliteConnection>> opened = sqlite::SqliteConnection::open(db.path(), {});
  ASSERT_TRUE(opened.ok());
  sqlite::SqliteConnection& connection = **opened;
  const std::size_t before = connection.cached_statements();
  for (int i = 0; i < 3; ++i) {
    Result<sql::QueryResult> r = connection.query("SELECT ? + 1", {std::int64_t{i}});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->rows.at(0).int64(0), i + 1);
  }
  EXPECT_EQ(connection.cached_statements(), before + 1);
  Result<sql::QueryResult> wrong = connection.query("SELECT ? + 1", {});
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, core::ErrorCode::db_error);
  Result<sql::QueryResult> two = connection.query("SELECT 1; SELECT 2");
  EXPECT_FALSE(two.ok());
}

}  // namespace
}  // namespace tenantsync::store::test
