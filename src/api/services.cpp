#include "api/services.hpp"

#include "store/store.hpp"

namespace tenantsync::api {

Stores Stores::of(store::Store& store) { return {store, store, store, store, store, store, store, store, store, store}; }

}  // namespace tenantsync::api
