#include "service/archive_service.hpp"

#include <spdlog/spdlog.h>

namespace tenantsync::service {

Result<store::MirrorItem> ArchiveService::restore(TenantId tenant_id, core::Resource resource,
                                                  MirrorRowId id) {
  auto item = mirror_.restore_mirror_item(tenant_id, resource, id, clock_.now());
  if (!item.ok()) {
    if (item.error().code == core::ErrorCode::conflict)
      return make_error(core::ErrorCode::conflict, "That record is not archived.");
    if (item.error().code == core::ErrorCode::not_found)
      return make_error(core::ErrorCode::not_found, "No such archived record.");
    return item;
  }
  spdlog::info("event=restored tenant_id={} resource={} id={}", tenant_id, core::to_string(resource), id);
  return item;
}

}  // namespace tenantsync::service
