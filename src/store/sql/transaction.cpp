#include "store/sql/transaction.hpp"

namespace tenantsync::store::sql {

Result<Transaction> Transaction::begin(PooledConnection connection, Access access) {
  Connection* raw = &*connection;
  if (Status s = raw->exec(raw->begin_statement(access)); !s.ok()) return s.error();
  return Transaction(std::move(connection), raw);
}

Result<Transaction> Transaction::begin_on(Connection& connection, Access access) {
  if (Status s = connection.exec(connection.begin_statement(access)); !s.ok()) return s.error();
  return Transaction(std::nullopt, &connection);
}

Transaction::Transaction(Transaction&& other) noexcept
    : owned_(std::move(other.owned_)), connection_(other.connection_), open_(other.open_) {
  other.open_ = false;
}

Transaction::~Transaction() { rollback(); }

Result<QueryResult> Transaction::query(std::string_view sql, const Params& params) {
  return connection_->query(sql, params);
}

Status Transaction::exec(std::string_view sql) { return connection_->exec(sql); }

Status Transaction::commit() {
  Status s = connection_->exec("COMMIT");
  if (s.ok()) open_ = false;
  return s;
}

void Transaction::rollback() {
  if (!open_) return;
  open_ = false;
  // A connection whose ROLLBACK fails is in an unknown state: the pool must not reuse it.
  if (!connection_->exec("ROLLBACK").ok()) connection_->mark_broken();
}

}  // namespace tenantsync::store::sql
