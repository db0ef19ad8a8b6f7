#pragma once
// The ids of tenantsync's own rows, one type each, so a tenant id can never be passed where a
// run id is expected. The store converts them to and from integers; the API parses them from
// paths and renders them with value().
#include <cstdint>

#include "core/strong_typedef.hpp"

namespace tenantsync {

using TenantId = StrongTypedef<struct TenantIdTag, std::int64_t>;
using UserId = StrongTypedef<struct UserIdTag, std::int64_t>;
using RunId = StrongTypedef<struct RunIdTag, std::int64_t>;
using JobId = StrongTypedef<struct JobIdTag, std::int64_t>;
using ConnectionId = StrongTypedef<struct ConnectionIdTag, std::int64_t>;
using LeadId = StrongTypedef<struct LeadIdTag, std::int64_t>;
/// A row of the voice-platform mirror (agents, phone numbers, campaigns, executions).
using MirrorRowId = StrongTypedef<struct MirrorRowIdTag, std::int64_t>;

}  // namespace tenantsync
