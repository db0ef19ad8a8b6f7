#pragma once
// One libpq connection. Query text arrives with `?` placeholders and is sent as $1..$n;
// parameters go as text with their types (int8, float8; text and NULL left to the server to
// infer), results come back typed by column OID.
#include <libpq-fe.h>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

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

  ConnPtr conn_;
  std::unordered_map<std::string, std::string> translations_;  // `?` text -> $n text
  bool broken_ = false;
};

}  // namespace tenantsync::store::postgres
