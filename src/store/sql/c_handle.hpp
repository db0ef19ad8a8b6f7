#pragma once
// RAII for the C handles of the database libraries (sqlite3, libpq): a unique_ptr whose deleter
// calls the library's own release function, e.g. CHandle<sqlite3_stmt, sqlite3_finalize>.
#include <memory>

namespace tenantsync::store::sql {

template <auto Release>
struct CallRelease {
  template <typename T>
  void operator()(T* handle) const {
    Release(handle);
  }
};

template <typename T, auto Release>
using CHandle = std::unique_ptr<T, CallRelease<Release>>;

}  // namespace tenantsync::store::sql
