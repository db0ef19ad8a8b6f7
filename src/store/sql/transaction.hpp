#pragma once
// A database transaction that rolls back in its destructor unless committed
// (userver storages/postgres/transaction.hpp). Every multi-row change goes through one.
#include <optional>
#include <string_view>

#include "core/result.hpp"
#include "store/sql/connection.hpp"
#include "store/sql/pool.hpp"
#include "store/sql/value.hpp"

namespace tenantsync::store::sql {

class Transaction {
 public:
  /// Opens a transaction on a pooled connection, which it keeps until destroyed.
  static Result<Transaction> begin(PooledConnection connection, Access access);
  /// Opens a transaction on a connection the caller keeps (e.g. migrations under a lock).
  static Result<Transaction> begin_on(Connection& connection, Access access);

  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  /// Rolls back if neither commit() nor rollback() ran.
  ~Transaction();

  /// Runs one statement inside the transaction.
  Result<QueryResult> query(std::string_view sql, const Params& params = {});
  /// Runs statements without parameters (DDL) inside the transaction.
  Status exec(std::string_view sql);
  /// Commits; on failure the transaction is rolled back (by the destructor) and the error returned.
  /// A transaction in which any statement failed refuses to commit, on both backends (PostgreSQL
  /// aborts such a transaction anyway; SQLite would otherwise commit the statements that worked).
  Status commit();
  /// Rolls back now.
  void rollback();

  Connection& connection() { return *connection_; }
  std::string_view backend() const { return connection_->backend(); }
  bool is_postgres() const { return connection_->is_postgres(); }

 private:
  Transaction(std::optional<PooledConnection> owned, Connection* connection)
      : owned_(std::move(owned)), connection_(connection) {}

  std::optional<PooledConnection> owned_;
  Connection* connection_;
  bool open_ = true;
  bool failed_ = false;
};

}  // namespace tenantsync::store::sql
