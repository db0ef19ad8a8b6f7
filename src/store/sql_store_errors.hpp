#pragma once
// How SQL-layer errors become Store errors (kStoreErrorCodes in store.hpp). Methods that know
// what a violation means (a duplicate e-mail) map it themselves before falling back to this.
#include <string>

#include "core/result.hpp"
#include "store/sql/errors.hpp"

namespace tenantsync::store {

/// unique_violation -> "conflict", foreign_key_violation -> "not_found", db_busy -> "store_busy";
/// store_full and store_unavailable (the drivers' faults of the database itself) stay; anything else
/// -> "db_error". The conflict and not_found messages may reach a client (409, 404), so they carry
/// no database text; a db_error keeps it, and the API logs it instead of answering with it.
inline Error to_store_error(const Error& e) {
  if (e.is(core::ErrorCode::unique_violation)) return make_error(core::ErrorCode::conflict, "the record already exists");
  if (e.is(core::ErrorCode::foreign_key_violation)) {
    return make_error(core::ErrorCode::not_found, "a record this refers to does not exist");
  }
  if (e.is(core::ErrorCode::db_busy)) {
    return Error{core::ErrorCode::store_busy,
                 "the database stayed locked (another process or a long transaction holds it): " + e.message};
  }
  if (e.is(core::ErrorCode::store_full) || e.is(core::ErrorCode::store_unavailable)) return e;
  return Error{core::ErrorCode::db_error, e.message};
}

inline Error not_found(std::string what) { return Error{core::ErrorCode::not_found, std::move(what)}; }

}  // namespace tenantsync::store
