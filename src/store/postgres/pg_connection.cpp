#include "store/postgres/pg_connection.hpp"

#include <poll.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "store/sql/errors.hpp"
#include "store/sql/placeholders.hpp"

namespace tenantsync::store::postgres {
namespace {

// Type OIDs from the server's pg_type.h (not shipped with libpq).
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kOidOid = 26;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

// Statements a connection keeps prepared: the query texts are a fixed set of strings (a few
// hundred at most); a text past this runs unprepared rather than growing the server's memory.
constexpr std::size_t kMaxPrepared = 512;

void ignore_notice(void*, const char*) {}  // "relation already exists, skipping" and the like

// Notices are ignored, but one kind: a FATAL message that arrives while the connection is idle is
// the server's goodbye (pg_terminate_backend, shutdown) just before it closes the session; libpq
// hands it to the notice receiver. The connection is dead from that moment, before the close.
void on_notice(void* connection, const PGresult* notice) {
  const char* severity = PQresultErrorField(notice, PG_DIAG_SEVERITY_NONLOCALIZED);
  const std::string_view s = severity ? severity : "";
  if (s == "FATAL" || s == "PANIC") static_cast<PgConnection*>(connection)->mark_broken();
}

std::string trimmed(const char* message) {
  std::string s = message ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

sql::Value integer_or_text(const char* data, int length) {
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(data, data + length, n);
  if (ec == std::errc() && end == data + length) return n;
  return std::string(data, static_cast<std::size_t>(length));
}

sql::Value cell(const PGresult* result, int row, int column) {
  if (PQgetisnull(result, row, column)) return nullptr;
  const char* data = PQgetvalue(result, row, column);
  const int length = PQgetlength(result, row, column);
  switch (PQftype(result, column)) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid:
      return integer_or_text(data, length);
    case kFloat4Oid:
    case kFloat8Oid:
      return std::strtod(data, nullptr);
    case kNumericOid: {
      // SUM(bigint) is NUMERIC on PostgreSQL but INTEGER on SQLite: whole numbers stay integers.
      sql::Value v = integer_or_text(data, length);
      if (std::holds_alternative<std::string>(v)) return std::strtod(data, nullptr);
      return v;
    }
    case kBoolOid:
      return static_cast<std::int64_t>(data[0] == 't' ? 1 : 0);
    default:
      return std::string(data, static_cast<std::size_t>(length));
  }
}

}  // namespace

Result<std::unique_ptr<PgConnection>> PgConnection::open(const std::string& url, int connect_timeout_s) {
  // Keywords before dbname are defaults: values inside the URL override them.
  const std::string timeout = std::to_string(connect_timeout_s);
  const char* keywords[] = {"connect_timeout", "fallback_application_name", "dbname", nullptr};
  const char* values[] = {timeout.c_str(), "tenantsync", url.c_str(), nullptr};
  ConnPtr conn(PQconnectdbParams(keywords, values, 1));
  if (!conn) return sql::db_error("cannot connect to PostgreSQL: out of memory");
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    return Error{core::ErrorCode::store_unavailable,
                 "cannot connect to PostgreSQL: " + trimmed(PQerrorMessage(conn.get()))};
  }
  PQsetNoticeProcessor(conn.get(), &ignore_notice, nullptr);
  // Every execution of a prepared statement is planned with its values and the table as it is
  // now. A generic plan, which PostgreSQL otherwise settles on after five executions, is made
  // once: a lead lookup prepared while a first sync's table was still empty kept scanning every
  // lead of the tenant through the first columns of an index once it held 100,000 (the lookups
  // took 30-80 ms a page; docs/store.md). Planning these short statements costs far less.
  if (ResultPtr set(PQexec(conn.get(), "SET plan_cache_mode = force_custom_plan"));
      !set || PQresultStatus(set.get()) != PGRES_COMMAND_OK) {
    return Error{core::ErrorCode::store_unavailable,
                 "cannot set up the PostgreSQL session: " + trimmed(PQerrorMessage(conn.get()))};
  }
  auto connection = std::make_unique<PgConnection>(std::move(conn));
  PQsetNoticeReceiver(connection->conn_.get(), &on_notice, connection.get());
  return connection;
}

bool PgConnection::broken() const { return broken_ || PQstatus(conn_.get()) != CONNECTION_OK; }

bool PgConnection::alive() {
  // Reads whatever the server sent while the connection sat idle, without blocking: a server
  // that closed the session (restart, pg_terminate_backend) shows up as CONNECTION_BAD here.
  // A terminated session first sends its FATAL message, then closes. The message alone marks the
  // connection broken (on_notice); without it, read again while the socket still has something to
  // say, so a close that came with or after the message is seen too.
  if (broken_) return false;
  for (int reads = 0; reads < 4; ++reads) {
    if (!PQconsumeInput(conn_.get()) || PQstatus(conn_.get()) != CONNECTION_OK) return false;
    // Parses what arrived: a goodbye reaches on_notice, which marks the connection broken.
    PQisBusy(conn_.get());
    if (broken_) return false;
    pollfd input{PQsocket(conn_.get()), POLLIN, 0};
    if (input.fd < 0) return false;
    if (::poll(&input, 1, 0) <= 0) break;  // nothing more to read: the session is open
  }
  return PQstatus(conn_.get()) == CONNECTION_OK;
}

Error PgConnection::error_from(const PGresult* result, std::string_view sql) {
  if (PQstatus(conn_.get()) != CONNECTION_OK) broken_ = true;
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const char* primary = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  std::string message =
      trimmed(primary ? primary : PQerrorMessage(conn_.get())) + " (in: " + sql::statement_snippet(sql) + ")";
  const std::string_view code = state ? state : "";
  if (code == "23505") return Error{core::ErrorCode::unique_violation, std::move(message)};
  if (code == "23503") return Error{core::ErrorCode::foreign_key_violation, std::move(message)};
  if (code == "40001" || code == "40P01" || code == "55P03")
    return Error{core::ErrorCode::db_busy, std::move(message)};
  if (code == "53100")
    return Error{core::ErrorCode::store_full,
                 "the database is full: PostgreSQL has no disk space left (" + message + ")"};
  // The session is gone (the server restarted, or an administrator terminated it): this
  // connection is dropped by the pool, and the next request gets a fresh one.
  if (broken_) {
    return Error{core::ErrorCode::store_unavailable,
                 "the connection to PostgreSQL was lost (" + message + ")"};
  }
  return sql::db_error("PostgreSQL: " + message);
}

const std::string& PgConnection::translated(std::string_view sql) {
  std::string key(sql);
  auto it = translations_.find(key);
  if (it == translations_.end()) {
    std::string text = sql::to_dollar_placeholders(sql);
    it = translations_.emplace(std::move(key), std::move(text)).first;
  }
  return it->second;
}

Result<std::string> PgConnection::prepared(const std::string& text, const std::vector<Oid>& types,
                                           std::string_view sql) {
  std::string key = text;
  key.push_back('\0');
  for (const Oid type : types) key += type == kInt8Oid ? 'i' : type == kFloat8Oid ? 'f' : '-';
  if (auto it = prepared_.find(key); it != prepared_.end()) return it->second;
  if (prepared_.size() >= kMaxPrepared) return std::string();
  std::string name = "ts_" + std::to_string(prepared_.size() + 1);
  ResultPtr result(
      PQprepare(conn_.get(), name.c_str(), text.c_str(), static_cast<int>(types.size()), types.data()));
  if (!result || PQresultStatus(result.get()) != PGRES_COMMAND_OK) return error_from(result.get(), sql);
  prepared_.emplace(std::move(key), name);
  return name;
}

Status PgConnection::exec(std::string_view sql) {
  const std::string text(sql);
  ResultPtr result(PQexec(conn_.get(), text.c_str()));
  const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return error_from(result.get(), sql);
  // COMMIT of a transaction that already failed answers "ROLLBACK" without an error.
  if (sql == "COMMIT" && std::string_view(PQcmdStatus(result.get())) == "ROLLBACK") {
    return sql::db_error("PostgreSQL rolled the transaction back instead of committing it");
  }
  return {};
}

Result<sql::QueryResult> PgConnection::query(std::string_view sql, const sql::Params& params) {
  const std::string& text = translated(sql);
  const std::size_t n = params.size();
  std::vector<Oid> types(n, 0);
  std::vector<std::string> storage(n);
  std::vector<const char*> values(n, nullptr);
  for (std::size_t i = 0; i < n; ++i) {
    const sql::Value& v = params[i];
    if (const auto* integer = std::get_if<std::int64_t>(&v)) {
      types[i] = kInt8Oid;
      storage[i] = std::to_string(*integer);
      values[i] = storage[i].c_str();
    } else if (const auto* real = std::get_if<double>(&v)) {
      types[i] = kFloat8Oid;
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%.17g", *real);
      storage[i] = buffer;
      values[i] = storage[i].c_str();
    } else if (const auto* s = std::get_if<std::string>(&v)) {
      values[i] = s->c_str();
    }
  }
  Result<std::string> name = prepared(text, types, sql);
  if (!name.ok()) return name.error();
  ResultPtr result(name->empty() ? PQexecParams(conn_.get(), text.c_str(), static_cast<int>(n), types.data(),
                                                values.data(), nullptr, nullptr, 0)
                                 : PQexecPrepared(conn_.get(), name->c_str(), static_cast<int>(n), values.data(),
                                                  nullptr, nullptr, 0));
  const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return error_from(result.get(), sql);

  sql::QueryResult out;
  const int rows = PQntuples(result.get());
  const int columns = PQnfields(result.get());
  out.rows.reserve(static_cast<std::size_t>(rows));
  for (int r = 0; r < rows; ++r) {
    std::vector<sql::Value> cells;
    cells.reserve(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) cells.push_back(cell(result.get(), r, c));
    out.rows.emplace_back(std::move(cells));
  }
  const char* affected = PQcmdTuples(result.get());
  if (affected && *affected) out.affected = std::strtoll(affected, nullptr, 10);
  return out;
}

}  // namespace tenantsync::store::postgres
