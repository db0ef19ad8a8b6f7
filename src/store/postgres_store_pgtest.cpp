// The shared Store suite on PostgreSQL: a fresh database per test (CREATE DATABASE with a random
// name, dropped afterwards) on the server whose URL is in the file named by
// TENANTSYNC_TEST_PG_URL_FILE. Without that server the tests fail: they never skip silently.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "store/postgres/pg_connection.hpp"
#include "store/postgres/pg_database.hpp"
#include "store/sql/array_literal.hpp"
#include "support/store_suite.hpp"

namespace tenantsync::store::test {
namespace {

// The server URL, or "" after reporting why there is none.
std::string server_url() {
  const char* file = std::getenv("TENANTSYNC_TEST_PG_URL_FILE");
  if (!file || !*file) {
    ADD_FAILURE() << "TENANTSYNC_TEST_PG_URL_FILE is not set: start a server with "
                     "tests/support/postgres.sh start DIR and set it to DIR/url";
    return "";
  }
  std::ifstream in(file);
  std::string url;
  if (!(in >> url)) {
    ADD_FAILURE() << "cannot read a PostgreSQL URL from " << file;
    return "";
  }
  return url;
}

// The same URL with another database name: postgresql://user@host/NAME?params.
std::string with_database(const std::string& url, const std::string& name) {
  const std::size_t authority = url.find("://") + 3;
  const std::size_t query = url.find('?', authority);
  const std::size_t path = url.find('/', authority);
  const std::size_t path_end = query == std::string::npos ? url.size() : query;
  const std::size_t path_begin = (path == std::string::npos || path > path_end) ? path_end : path;
  return url.substr(0, path_begin) + "/" + name + url.substr(path_end);
}

class PgTestDatabase final : public TestDatabase {
 public:
  static std::unique_ptr<PgTestDatabase> make() {
    const std::string admin = server_url();
    if (admin.empty()) return nullptr;
    Result<std::unique_ptr<postgres::PgConnection>> connection = postgres::PgConnection::open(admin);
    if (!connection.ok()) {
      ADD_FAILURE() << connection.error().message;
      return nullptr;
    }
    std::random_device random;
    std::ostringstream name;
    name << "tenantsync_test_" << std::hex << random() << random();
    if (Status s = (*connection)->exec("CREATE DATABASE " + name.str()); !s.ok()) {
      ADD_FAILURE() << s.error().message;
      return nullptr;
    }
    return std::make_unique<PgTestDatabase>(std::move(connection).value(), admin, name.str());
  }

  PgTestDatabase(std::unique_ptr<postgres::PgConnection> admin, const std::string& admin_url,
                 std::string name)
      : admin_(std::move(admin)), url_(with_database(admin_url, name)), name_(std::move(name)) {}
  ~PgTestDatabase() override {
    Status dropped = admin_->exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    EXPECT_TRUE(dropped.ok()) << dropped.error().message;
  }
  std::string url() const override { return url_; }
  postgres::PgConnection& admin() { return *admin_; }

 private:
  std::unique_ptr<postgres::PgConnection> admin_;
  std::string url_;
  std::string name_;
};

StoreBackend postgres_backend() {
  return StoreBackend{"Postgres", []() -> std::unique_ptr<TestDatabase> { return PgTestDatabase::make(); }};
}

INSTANTIATE_TEST_SUITE_P(Postgres, StoreSuite, ::testing::Values(postgres_backend()), backend_name);

// A pool on db with `size` connections (and the other options as given), or a failed test.
std::unique_ptr<postgres::PgDatabase> open_pool(const PgTestDatabase& db, int size,
                                                postgres::DatabaseOptions options = {}) {
  options.pool_size = size;
  Result<std::unique_ptr<postgres::PgDatabase>> opened = postgres::PgDatabase::open(db.url(), options);
  EXPECT_TRUE(opened.ok()) << opened.error().message;
  return opened.ok() ? std::move(opened).value() : nullptr;
}

TEST(PostgresUrl, ReplacesTheDatabaseName) {
  EXPECT_EQ(with_database("postgresql://postgres@/postgres?host=/tmp/pg&port=5", "db1"),
            "postgresql://postgres@/db1?host=/tmp/pg&port=5");
  EXPECT_EQ(with_database("postgresql://u:p@h:5432/x", "db2"), "postgresql://u:p@h:5432/db2");
  EXPECT_EQ(with_database("postgresql://h?sslmode=disable", "db3"), "postgresql://h/db3?sslmode=disable");
}

TEST(PostgresStore, UnreachableServerIsStoreUnavailable) {
  Result<std::unique_ptr<Store>> opened =
      open_store("postgresql://nobody@/x?host=/nonexistent-socket-dir&port=1");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, core::ErrorCode::store_unavailable);
}

TEST(PostgresPool, ReplacesAConnectionTheServerClosed) {
  std::unique_ptr<PgTestDatabase> db = PgTestDatabase::make();
  ASSERT_NE(db, nullptr);
  std::unique_ptr<postgres::PgDatabase> opened = open_pool(*db, 1);
  ASSERT_NE(opened, nullptr);
  postgres::PgDatabase& pg = *opened;

  Result<sql::QueryResult> pid = pg.query(sql::Access::read, "SELECT pg_backend_pid()");
  ASSERT_TRUE(pid.ok());
  const std::int64_t first_pid = pid->rows.at(0).int64(0);
  // Integers are sent as int8; a function taking int4 needs the cast (documented in docs/store.md).
  Result<sql::QueryResult> killed =
      db->admin().query("SELECT pg_terminate_backend(CAST(? AS INTEGER))", {first_pid});
  ASSERT_TRUE(killed.ok()) << killed.error().message;

  // Once the server process is gone, the pool's idle check sees the server's goodbye (its FATAL
  // message, then the close) and opens a new connection: the next query does not fail.
  for (int i = 0; i < 200; ++i) {
    Result<sql::QueryResult> left = db->admin().query(
        "SELECT COUNT(*) FROM pg_stat_activity WHERE pid = CAST(? AS INTEGER)", {first_pid});
    ASSERT_TRUE(left.ok()) << left.error().message;
    if (left->rows.at(0).int64(0) == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  Result<sql::QueryResult> again = pg.query(sql::Access::read, "SELECT pg_backend_pid()");
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_NE(again->rows.at(0).int64(0), first_pid);
  EXPECT_EQ(pg.pool().open_count(), 1);
}

// Prepared statements are planned with their values each time: a plan made while a table was
// empty must not stay once it has grown (pg_connection.cpp says why).
TEST(PostgresPool, EveryConnectionPlansEachExecutionWithItsValues) {
  std::unique_ptr<PgTestDatabase> db = PgTestDatabase::make();
  ASSERT_NE(db, nullptr);
  std::unique_ptr<postgres::PgDatabase> opened = open_pool(*db, 2);
  ASSERT_NE(opened, nullptr);
  for (const sql::Access access : {sql::Access::read, sql::Access::write}) {
    Result<sql::QueryResult> mode = opened->query(access, "SHOW plan_cache_mode");
    ASSERT_TRUE(mode.ok()) << mode.error().message;
    EXPECT_EQ(mode->rows.at(0).text(0), "force_custom_plan");
  }
}

// A column of values bound as one array literal comes back from the server value for value,
// whatever the text holds (sql/array_literal.hpp): what the lead writes and lookups rely on.
TEST(PostgresArrays, EveryValueOfAnArrayLiteralReadsBackAsItself) {
  std::unique_ptr<PgTestDatabase> db = PgTestDatabase::make();
  ASSERT_NE(db, nullptr);
  std::unique_ptr<postgres::PgDatabase> pg = open_pool(*db, 1);
  ASSERT_NE(pg, nullptr);
  const std::vector<sql::Value> texts{std::string("plain"), std::string("a \"quoted\" word"),
                                      std::string("back\\slash"), std::string("{braces, commas}"),
                                      std::string("NULL"), std::string(""), nullptr,
                                      std::string("Zoë 🙂 \t tab"), std::string(" spaces ")};
  Result<sql::QueryResult> r = pg->query(
      sql::Access::read, "SELECT t, t IS NULL FROM unnest(?::text[]) WITH ORDINALITY AS a(t, n) ORDER BY n",
      {sql::array_literal(texts)});
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->rows.size(), texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const bool is_null = std::holds_alternative<std::nullptr_t>(texts[i]);
    EXPECT_EQ(r->rows[i].int64(1) != 0, is_null) << i;  // booleans read as 1 or 0
    if (!is_null) {
      EXPECT_EQ(r->rows[i].text(0), std::get<std::string>(texts[i])) << i;
    }
  }
  Result<sql::QueryResult> numbers =
      pg->query(sql::Access::read, "SELECT SUM(x) FROM unnest(?::bigint[]) AS a(x)",
                {sql::array_literal(std::vector<std::int64_t>{1, -5, 9000000000})});
  ASSERT_TRUE(numbers.ok()) << numbers.error().message;
  EXPECT_EQ(numbers->rows.at(0).int64(0), 8999999996);
}

TEST(PostgresPool, BlocksAtItsBoundAndTimesOut) {
  std::unique_ptr<PgTestDatabase> db = PgTestDatabase::make();
  ASSERT_NE(db, nullptr);
  postgres::DatabaseOptions options;
  options.acquire_timeout = std::chrono::milliseconds(100);
  std::unique_ptr<postgres::PgDatabase> opened = open_pool(*db, 2, options);
  ASSERT_NE(opened, nullptr);
  Result<sql::PooledConnection> a = opened->acquire(sql::Access::write);
  Result<sql::PooledConnection> b = opened->acquire(sql::Access::write);
  ASSERT_TRUE(a.ok() && b.ok());
  Result<sql::PooledConnection> c = opened->acquire(sql::Access::write);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, core::ErrorCode::db_error);
}

}  // namespace
}  // namespace tenantsync::store::test
