#pragma once
// One SQLite connection: WAL, busy timeout, foreign keys on, synchronous=NORMAL, and a cache of
// prepared statements keyed by their text (the shared query text is a fixed set of strings).
#include <sqlite3.h>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/result.hpp"
#include "store/sql/c_handle.hpp"
#include "store/sql/connection.hpp"

namespace tenantsync::store::sqlite {

using DbPtr = sql::CHandle<sqlite3, sqlite3_close_v2>;
using StatementPtr = sql::CHandle<sqlite3_stmt, sqlite3_finalize>;

struct ConnectionOptions {
  int busy_timeout_ms = 5000;
  /// Reader connections refuse writes, so a write can only go through the writer.
  bool query_only = false;
};

class SqliteConnection final : public sql::Connection {
 public:
  /// Opens (creating if needed) the database file at path and applies the connection pragmas.
  static Result<std::unique_ptr<SqliteConnection>> open(const std::string& path,
                                                        const ConnectionOptions& options);
  /// Wraps an open handle; open() is the usual way in.
  explicit SqliteConnection(DbPtr db) : db_(std::move(db)) {}

  std::string_view backend() const override { return "sqlite"; }
  Status exec(std::string_view sql) override;
  Result<sql::QueryResult> query(std::string_view sql, const sql::Params& params = {}) override;
  std::string_view begin_statement(sql::Access access) const override;
  bool broken() const override { return broken_; }
  void mark_broken() override { broken_ = true; }

  /// Statements currently held in the prepared-statement cache.
  std::size_t cached_statements() const { return cache_.size(); }

 private:
  Result<sqlite3_stmt*> prepare(std::string_view sql);
  Error error_from(int rc, std::string_view sql);

  DbPtr db_;  // declared first: destroyed after the statements that belong to it
  std::unordered_map<std::string, StatementPtr> cache_;
  bool broken_ = false;
};

}  // namespace tenantsync::store::sqlite
