#pragma once
// One database connection, whatever the backend. Query text is written once with `?`
// placeholders; each driver translates it for its backend (PostgreSQL: $1..$n).
// A connection is used by one thread at a time (the pool hands it out exclusively).
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "store/sql/value.hpp"

namespace tenantsync::store::sql {

/// Whether a connection or transaction only reads or may write. SQLite sends writes to its
/// single writer connection (BEGIN IMMEDIATE); PostgreSQL treats both alike.
enum class Access { read, write };

class Connection {
 public:
  virtual ~Connection() = default;

  /// "sqlite" or "postgresql".
  virtual std::string_view backend() const = 0;
  /// Where a statement's text or a lock differs by backend.
  bool is_postgres() const { return backend() == "postgresql"; }
  /// Runs one or more statements without parameters or results (DDL, BEGIN, migrations).
  virtual Status exec(std::string_view sql) = 0;
  /// Runs one statement with `?` placeholders bound to params; returns its rows and changes.
  virtual Result<QueryResult> query(std::string_view sql, const Params& params = {}) = 0;
  /// The statement that opens a transaction of the given access on this backend.
  virtual std::string_view begin_statement(Access access) const = 0;
  /// True once the connection is unusable; the pool then drops it and opens a new one.
  virtual bool broken() const = 0;
  /// Marks the connection unusable (e.g. a ROLLBACK failed and its state is unknown).
  virtual void mark_broken() = 0;
  /// A cheap check before an idle connection is handed out (PostgreSQL: has the server closed
  /// it meanwhile?). Must not block.
  virtual bool alive() { return !broken(); }
};

}  // namespace tenantsync::store::sql
