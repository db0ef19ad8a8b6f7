#pragma once
// One libpq connection. Query text arrives with `?` placeholders and is sent as $1..$n;
// parameters go as text with their types (int8, float8; text and NULL left to the server to
// infer), results come back typed by column OID. Each statement is prepared once per connection
// and its parameter types (a NULL leaves a parameter's type to the server, as an int8 does not),
// and run by name after that: the server parses and plans it once, not on every call.
#include <libpq-fe.h>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.hpp"
#include "store/sql/c_handle.hpp"
#include "store/sql/connection.hpp"

namespace tenantsync::store::postgres {

using ConnPtr = sql::CHandle<PGconn, PQfinish>;
using ResultPtr = sql::CHandle<PGresult, PQclear>;

class PgConnection final : public sql::Connection {
 public:
  /// Connects to a libpq URL ("postgresql://..."); connect_timeout_s applies unless the URL sets one.
  static Result<std::unique_ptr<PgConnection>> open(const std::string& url, int connect_timeout_s = 10);
  explicit PgConnection(ConnPtr conn) : conn_(std::move(conn)) {}

  std::string_view backend() const override { return "postgresql"; }
  Status exec(std::string_view sql) override;
  Result<sql::QueryResult> query(std::string_view sql, const sql::Params& params = {}) override;
  std::string_view begin_statement(sql::Access) const override { return "BEGIN"; }
  bool broken() const override;
  void mark_broken() override { broken_ = true; }
  bool alive() override;

  /// The server process id of this connection (pg_backend_pid()), for tests and diagnostics.
  int backend_pid() const { return PQbackendPID(conn_.get()); }

 private:
  Error error_from(const PGresult* result, std::string_view sql);
  const std::string& translated(std::string_view sql);
  /// The name of the statement prepared for `text` with `types` (preparing it now if need be),
  /// or empty when the cache is full and the statement goes unprepared.
  Result<std::string> prepared(const std::string& text, const std::vector<Oid>& types, std::string_view sql);

  ConnPtr conn_;
  std::unordered_map<std::string, std::string> translations_;  // `?` text -> $n text
  std::unordered_map<std::string, std::string> prepared_;      // $n text + type signature -> name
  bool broken_ = false;
};

}  // namespace tenantsync::store::postgres
