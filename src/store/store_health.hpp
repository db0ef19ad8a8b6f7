#pragma once
// Whether the database answers, for /readyz. One area of the Store (store.hpp).
#include <string>

#include "core/result.hpp"

namespace tenantsync::store {

class StoreHealth {
 public:
  virtual ~StoreHealth() = default;
  /// "sqlite" or "postgresql".
  virtual std::string backend() const = 0;
  /// A cheap round trip.
  virtual Status ping() = 0;
};

}  // namespace tenantsync::store
