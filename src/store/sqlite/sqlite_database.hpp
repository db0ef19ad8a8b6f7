#pragma once
// SQLite as a Database: one writer connection (writes queue for it and use BEGIN IMMEDIATE) and a
// pool of query-only reader connections that read concurrently under WAL.
#include <chrono>
#include <memory>
#include <string>

#include "core/result.hpp"
#include "store/sql/database.hpp"
#include "store/sql/pool.hpp"

namespace tenantsync::store::sqlite {

struct DatabaseOptions {
  int readers = 8;
  int busy_timeout_ms = 5000;
  std::chrono::milliseconds acquire_timeout{10000};
};

class SqliteDatabase final : public sql::Database {
 public:
  /// Opens the file at path, creating it and its folder; ":memory:" gives a private in-memory
  /// database on a single connection. Errors: "db_error".
  static Result<std::unique_ptr<SqliteDatabase>> open(const std::string& path, const DatabaseOptions& options);

  SqliteDatabase(std::unique_ptr<sql::ConnectionPool> writer, std::unique_ptr<sql::ConnectionPool> readers)
      : writer_(std::move(writer)), readers_(std::move(readers)) {}

  std::string_view backend() const override { return "sqlite"; }
  Result<sql::PooledConnection> acquire(sql::Access access) override;

 private:
  std::unique_ptr<sql::ConnectionPool> writer_;
  std::unique_ptr<sql::ConnectionPool> readers_;  // null for in-memory databases: all on the writer
};

}  // namespace tenantsync::store::sqlite
