#include "store/sqlite/sqlite_connection.hpp"

#include <string>

#include "store/sql/errors.hpp"

namespace tenantsync::store::sqlite {
namespace {

// Resets a cached statement when a query is done with it, whatever the outcome.
class StatementReset {
 public:
  explicit StatementReset(sqlite3_stmt* statement) : statement_(statement) {}
  ~StatementReset() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
  }
  StatementReset(const StatementReset&) = delete;
  StatementReset& operator=(const StatementReset&) = delete;

 private:
  sqlite3_stmt* statement_;
};

bool only_whitespace(const char* s) {
  for (; s && *s; ++s) {
    if (*s != ' ' && *s != '\n' && *s != '\t' && *s != '\r' && *s != ';') return false;
  }
  return true;
}

constexpr int kWalCheckpointPages = 10'000;

}  // namespace

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::open(const std::string& path,
                                                                 const ConnectionOptions& options) {
  sqlite3* raw = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  DbPtr db(raw);
  if (rc != SQLITE_OK) {
    return sql::db_error("cannot open SQLite database '" + path +
                         "': " + (db ? sqlite3_errmsg(db.get()) : sqlite3_errstr(rc)));
  }
  sqlite3_extended_result_codes(db.get(), 1);
  sqlite3_busy_timeout(db.get(), options.busy_timeout_ms);
  auto connection = std::make_unique<SqliteConnection>(std::move(db));
  // journal_mode=WAL is persistent in the file; the rest are per connection.
  std::string pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;";
  if (options.query_only) pragmas += " PRAGMA query_only=ON;";
  // The writer copies the log back into the database file every kWalCheckpointPages pages
  // instead of SQLite's 1,000: a sync's writes touch the same index pages again and again, and
  // each copy writes a page once however often it changed since the last one (a CRM first sync
  // of 100,000 contacts ran 37 % faster, docs/benchmarks.md). The log file grows to about
  // kWalCheckpointPages × 4 KiB before it is reused.
  if (!options.query_only) pragmas += " PRAGMA wal_autocheckpoint=" + std::to_string(kWalCheckpointPages) + ";";
  if (Status s = connection->exec(pragmas); !s.ok()) {
    return sql::db_error("cannot configure SQLite database '" + path + "': " + s.error().message);
  }
  return connection;
}

std::string_view SqliteConnection::begin_statement(sql::Access access) const {
  // IMMEDIATE takes the write lock up front, so two writers never deadlock upgrading a read lock.
  return access == sql::Access::write ? "BEGIN IMMEDIATE" : "BEGIN";
}

Error SqliteConnection::error_from(int rc, std::string_view sql) {
  const int extended = sqlite3_extended_errcode(db_.get());
  const int primary = rc & 0xff;
  std::string message = std::string(sqlite3_errmsg(db_.get())) + " (in: " + sql::statement_snippet(sql) + ")";
  if (extended == SQLITE_CONSTRAINT_UNIQUE || extended == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return Error{core::ErrorCode::unique_violation, std::move(message)};
  }
  if (extended == SQLITE_CONSTRAINT_FOREIGNKEY)
    return Error{core::ErrorCode::foreign_key_violation, std::move(message)};
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
    return Error{core::ErrorCode::db_busy, std::move(message)};
  // SQLite has rolled the statement (and, for a full disk, the transaction) back: nothing is half
  // written, and the connection stays usable once there is room again.
  if (primary == SQLITE_FULL) {
    return Error{
        core::ErrorCode::store_full,
        "the database is full: the disk (or the database's size limit) leaves no room to write (SQLite: " +
            message + ")"};
  }
  if (primary == SQLITE_IOERR || primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB ||
      primary == SQLITE_CANTOPEN) {
    broken_ = true;
  }
  return sql::db_error("SQLite: " + message);
}

Result<sqlite3_stmt*> SqliteConnection::prepare(std::string_view sql) {
  std::string key(sql);
  if (auto it = cache_.find(key); it != cache_.end()) return it->second.get();
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  const int rc = sqlite3_prepare_v3(db_.get(), key.c_str(), static_cast<int>(key.size()),
                                    SQLITE_PREPARE_PERSISTENT, &raw, &tail);
  StatementPtr statement(raw);
  if (rc != SQLITE_OK) return error_from(rc, sql);
  if (!statement) return sql::db_error("empty SQL statement");
  if (!only_whitespace(tail))
    return sql::db_error("query() takes one statement, got more: " + sql::statement_snippet(sql));
  sqlite3_stmt* out = statement.get();
  cache_.emplace(std::move(key), std::move(statement));
  return out;
}

Status SqliteConnection::exec(std::string_view sql) {
  // A ROLLBACK after SQLite already rolled back by itself (e.g. on a full disk) is not an error.
  if (sql == "ROLLBACK" && sqlite3_get_autocommit(db_.get())) return {};
  if (sql.find(';') == std::string_view::npos) {
    // One statement (BEGIN, COMMIT, ...): reuse the cached prepared statement.
    Result<sql::QueryResult> r = query(sql);
    if (!r.ok()) return r.error();
    return {};
  }
  char* raw_message = nullptr;
  const std::string text(sql);
  const int rc = sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &raw_message);
  std::unique_ptr<char, decltype(&sqlite3_free)> message(raw_message, &sqlite3_free);
  if (rc != SQLITE_OK) return error_from(rc, sql);
  return {};
}

Result<sql::QueryResult> SqliteConnection::query(std::string_view sql, const sql::Params& params) {
  Result<sqlite3_stmt*> prepared = prepare(sql);
  if (!prepared.ok()) return prepared.error();
  sqlite3_stmt* statement = *prepared;
  StatementReset reset(statement);

  const int expected = sqlite3_bind_parameter_count(statement);
  if (expected != static_cast<int>(params.size())) {
    return sql::db_error("statement takes " + std::to_string(expected) + " parameters, got " +
                         std::to_string(params.size()) + ": " + sql::statement_snippet(sql));
  }
  for (std::size_t i = 0; i < params.size(); ++i) {
    const int index = static_cast<int>(i) + 1;
    const sql::Value& v = params[i];
    int rc = SQLITE_OK;
    if (const auto* n = std::get_if<std::int64_t>(&v)) {
      rc = sqlite3_bind_int64(statement, index, *n);
    } else if (const auto* d = std::get_if<double>(&v)) {
      rc = sqlite3_bind_double(statement, index, *d);
    } else if (const auto* s = std::get_if<std::string>(&v)) {
      // params outlive the statement's use (reset before returning), so no copy is needed.
      rc = sqlite3_bind_text64(statement, index, s->data(), s->size(), SQLITE_STATIC, SQLITE_UTF8);
    } else {
      rc = sqlite3_bind_null(statement, index);
    }
    if (rc != SQLITE_OK) return error_from(rc, sql);
  }

  sql::QueryResult result;
  const int columns = sqlite3_column_count(statement);
  for (;;) {
    const int rc = sqlite3_step(statement);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return error_from(rc, sql);
    std::vector<sql::Value> values;
    values.reserve(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      switch (sqlite3_column_type(statement, c)) {
        case SQLITE_INTEGER:
          values.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(statement, c)));
          break;
        case SQLITE_FLOAT:
          values.emplace_back(sqlite3_column_double(statement, c));
          break;
        case SQLITE_NULL:
          values.emplace_back(nullptr);
          break;
        default: {  // TEXT, and BLOB read as bytes
          const auto* data = static_cast<const char*>(sqlite3_column_blob(statement, c));
          const int size = sqlite3_column_bytes(statement, c);
          values.emplace_back(std::string(data ? data : "", static_cast<std::size_t>(size)));
        }
      }
    }
    result.rows.emplace_back(std::move(values));
  }
  if (!sqlite3_stmt_readonly(statement)) result.affected = sqlite3_changes64(db_.get());
  return result;
}

}  // namespace tenantsync::store::sqlite
