#include "store/postgres/pg_database.hpp"

#include "store/postgres/pg_connection.hpp"

namespace tenantsync::store::postgres {

Result<std::unique_ptr<PgDatabase>> PgDatabase::open(const std::string& url, const DatabaseOptions& options) {
  const int connect_timeout_s = options.connect_timeout_s;
  auto pool = std::make_unique<sql::ConnectionPool>(
      [url, connect_timeout_s]() -> Result<std::unique_ptr<sql::Connection>> {
        Result<std::unique_ptr<PgConnection>> opened = PgConnection::open(url, connect_timeout_s);
        if (!opened.ok()) return opened.error();
        return std::unique_ptr<sql::Connection>(std::move(opened).value());
      },
      options.pool_size, options.acquire_timeout);
  {
    Result<sql::PooledConnection> first = pool->acquire();
    if (!first.ok()) return first.error();
  }
  return std::make_unique<PgDatabase>(std::move(pool));
}

Result<sql::PooledConnection> PgDatabase::acquire(sql::Access) { return pool_->acquire(); }

}  // namespace tenantsync::store::postgres
