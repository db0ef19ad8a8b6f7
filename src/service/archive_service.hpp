#pragma once
// The archive as people use it: bring back a record a sync archived.
#include <cstdint>

#include "core/clock.hpp"
#include "core/mirror.hpp"
#include "core/result.hpp"
#include "store/mirror_store.hpp"

namespace tenantsync::service {

class ArchiveService {
 public:
  ArchiveService(store::MirrorStore& mirror, const Clock& clock) : mirror_(mirror), clock_(clock) {}

  /// The restored record; "not_found" (no such archived record of the tenant), "conflict"
  /// (it is not archived).
  Result<store::MirrorItem> restore(TenantId tenant_id, core::Resource resource, MirrorRowId id);

 private:
  store::MirrorStore& mirror_;
  const Clock& clock_;
};

}  // namespace tenantsync::service
