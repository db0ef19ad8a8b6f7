#include "store/sql/database.hpp"

namespace tenantsync::store::sql {

Result<Transaction> Database::begin(Access access) {
  Result<PooledConnection> connection = acquire(access);
  if (!connection.ok()) return connection.error();
  return Transaction::begin(std::move(connection).value(), access);
}

Result<QueryResult> Database::query(Access access, std::string_view sql, const Params& params) {
  Result<PooledConnection> connection = acquire(access);
  if (!connection.ok()) return connection.error();
  return (*connection)->query(sql, params);
}

}  // namespace tenantsync::store::sql
