#pragma once
// RAII for libpq's C handles.
#include <libpq-fe.h>

#include <memory>

namespace tenantsync::store::postgres {

struct ConnFinisher {
  void operator()(PGconn* conn) const { PQfinish(conn); }
};
struct ResultClearer {
  void operator()(PGresult* result) const { PQclear(result); }
};

using ConnPtr = std::unique_ptr<PGconn, ConnFinisher>;
using ResultPtr = std::unique_ptr<PGresult, ResultClearer>;

}  // namespace tenantsync::store::postgres
