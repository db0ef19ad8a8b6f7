#include "store/sql/database.hpp"

namespace tenantsync::store::sql {

Result<Transaction> Database::begin(Access access) {
  // A pooled connection the server closed just after the pool's idle check fails at BEGIN, which
  // changed nothing: begin again on a fresh one (the dead one is dropped as it goes back).
  constexpr int kAttempts = 3;
  for (int attempt = 1;; ++attempt) {
    Result<PooledConnection> connection = acquire(access);
    if (!connection.ok()) return connection.error();
    Result<Transaction> tx = Transaction::begin(std::move(connection).value(), access);
    if (tx.ok() || attempt == kAttempts || !tx.error().is(core::ErrorCode::store_unavailable)) return tx;
  }
}

Result<QueryResult> Database::query(Access access, std::string_view sql, const Params& params) {
  Result<PooledConnection> connection = acquire(access);
  if (!connection.ok()) return connection.error();
  return (*connection)->query(sql, params);
}

}  // namespace tenantsync::store::sql
