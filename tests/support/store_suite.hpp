#pragma once
// The Store test suite, shared by both backends: every test runs once per backend
// (sqlite_store_test.cpp instantiates it on SQLite files, postgres_store_pgtest.cpp on fresh
// PostgreSQL databases). Anything the Store does is tested here, so the backends cannot drift.
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "store/store.hpp"

namespace tenantsync::store::test {

/// The suite writes times as epoch milliseconds (the *_at_ms fields it checks are integers);
/// at() turns one into the TimePoint the store's interfaces take.
inline TimePoint at(std::int64_t ms) { return from_epoch_ms(ms); }

/// An id `by` past `id`: a row that does not exist (ids of another kind stay out of reach).
template <class Tag>
StrongTypedef<Tag, std::int64_t> shifted(StrongTypedef<Tag, std::int64_t> id, std::int64_t by) {
  return StrongTypedef<Tag, std::int64_t>(id.value() + by);
}

/// A database that exists for one test; destroying it removes it.
class TestDatabase {
 public:
  virtual ~TestDatabase() = default;
  /// The URL to pass to open_store.
  virtual std::string url() const = 0;
};

/// One backend the suite runs on: a name for test names and a factory of fresh databases.
/// The factory reports a failure (ADD_FAILURE) and returns null when it cannot make one.
struct StoreBackend {
  std::string name;
  std::function<std::unique_ptr<TestDatabase>()> make;
};

inline void PrintTo(const StoreBackend& backend, std::ostream* os) { *os << backend.name; }
inline std::string backend_name(const ::testing::TestParamInfo<StoreBackend>& info) {
  return info.param.name;
}

class StoreSuite : public ::testing::TestWithParam<StoreBackend> {
 protected:
  /// Makes a fresh database, opens a store on it and migrates it.
  void SetUp() override;
  /// Closes the store before its database is dropped.
  void TearDown() override;

  /// Opens another store on the same database (another instance of the service).
  std::unique_ptr<Store> open_again(const StoreOptions& options = {});

  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<Store> store_;
};

}  // namespace tenantsync::store::test
