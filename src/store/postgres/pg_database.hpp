#pragma once
// PostgreSQL as a Database: a bounded pool of libpq connections shared by reads and writes.
#include <chrono>
#include <memory>
#include <string>

#include "core/result.hpp"
#include "store/sql/database.hpp"
#include "store/sql/pool.hpp"

namespace tenantsync::store::postgres {

struct DatabaseOptions {
  int pool_size = 8;
  std::chrono::milliseconds acquire_timeout{10000};
  int connect_timeout_s = 10;
};

class PgDatabase final : public sql::Database {
 public:
  /// Connects once to check the URL and the server; more connections open on demand.
  static Result<std::unique_ptr<PgDatabase>> open(const std::string& url, const DatabaseOptions& options);

  explicit PgDatabase(std::unique_ptr<sql::ConnectionPool> pool) : pool_(std::move(pool)) {}

  std::string_view backend() const override { return "postgresql"; }
  Result<sql::PooledConnection> acquire(sql::Access access) override;

  sql::ConnectionPool& pool() { return *pool_; }

 private:
  std::unique_ptr<sql::ConnectionPool> pool_;
};

}  // namespace tenantsync::store::postgres
