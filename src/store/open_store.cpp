#include <chrono>
#include <string_view>

#include "store/postgres/pg_database.hpp"
#include "store/sql_store.hpp"
#include "store/sqlite/sqlite_database.hpp"
#include "store/store.hpp"

namespace tenantsync::store {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

Error bad_url(std::string_view url) {
  // Only the scheme is echoed: the rest of a URL may hold a password.
  const std::string_view scheme = url.substr(0, url.find(':'));
  return Error{
      core::ErrorCode::bad_database_url,
      "the database URL must be sqlite:PATH or postgresql://...; got scheme '" + std::string(scheme) + "'"};
}

}  // namespace

Result<std::unique_ptr<Store>> open_store(const std::string& database_url, const StoreOptions& options) {
  const std::chrono::milliseconds acquire_timeout(options.acquire_timeout_ms);
  if (starts_with(database_url, "sqlite:")) {
    std::string_view path = std::string_view(database_url).substr(7);
    if (starts_with(path, "//")) path.remove_prefix(2);  // sqlite:///abs/path and sqlite://rel/path
    if (path.empty())
      return Error{core::ErrorCode::bad_database_url,
                   "the sqlite: URL needs a file path, e.g. sqlite:data/ts.db"};
    sqlite::DatabaseOptions sqlite_options{options.pool_size, options.busy_timeout_ms, acquire_timeout};
    Result<std::unique_ptr<sqlite::SqliteDatabase>> db =
        sqlite::SqliteDatabase::open(std::string(path), sqlite_options);
    if (!db.ok()) return db.error();
    return std::unique_ptr<Store>(std::make_unique<SqlStore>(std::move(db).value()));
  }
  if (starts_with(database_url, "postgresql://") || starts_with(database_url, "postgres://")) {
    postgres::DatabaseOptions pg_options;
    pg_options.pool_size = options.pool_size;
    pg_options.acquire_timeout = acquire_timeout;
    Result<std::unique_ptr<postgres::PgDatabase>> db = postgres::PgDatabase::open(database_url, pg_options);
    if (!db.ok()) return db.error();
    return std::unique_ptr<Store>(std::make_unique<SqlStore>(std::move(db).value()));
  }
  return bad_url(database_url);
}

}  // namespace tenantsync::store
