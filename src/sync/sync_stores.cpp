#include "sync/sync_stores.hpp"

#include "store/store.hpp"

namespace tenantsync::sync {

SyncStores SyncStores::of(store::Store& store) { return {store, store, store, store, store, store}; }

}  // namespace tenantsync::sync
