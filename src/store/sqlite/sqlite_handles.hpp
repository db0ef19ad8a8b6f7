#pragma once
// RAII for SQLite's C handles.
#include <sqlite3.h>

#include <memory>

namespace tenantsync::store::sqlite {

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StatementFinalizer {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};

using DbPtr = std::unique_ptr<sqlite3, DbCloser>;
using StatementPtr = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

}  // namespace tenantsync::store::sqlite
