#pragma once
// A database: where connections come from, per backend. SqlStore talks only to this and to
// Transaction, so all query text is shared by SQLite and PostgreSQL.
#include <memory>
#include <string_view>

#include "core/result.hpp"
#include "store/sql/connection.hpp"
#include "store/sql/pool.hpp"
#include "store/sql/transaction.hpp"

namespace tenantsync::store::sql {

class Database {
 public:
  virtual ~Database() = default;

  /// "sqlite" or "postgresql".
  virtual std::string_view backend() const = 0;
  /// Where a statement's text or a lock differs by backend.
  bool is_postgres() const { return backend() == "postgresql"; }
  /// A connection for reads or writes (SQLite: one of the readers, or the single writer).
  virtual Result<PooledConnection> acquire(Access access) = 0;

  /// Opens a transaction: BEGIN on PostgreSQL, BEGIN IMMEDIATE on SQLite's writer for writes.
  Result<Transaction> begin(Access access);
  /// Runs one statement in its own implicit transaction.
  Result<QueryResult> query(Access access, std::string_view sql, const Params& params = {});
};

}  // namespace tenantsync::store::sql
