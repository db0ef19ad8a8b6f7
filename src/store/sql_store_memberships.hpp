#pragma once
// Private to SqlStore: adding a person to a tenant, shared by sign-up and `admin create-user`
// (sql_store_tenants.cpp) and by accepting an invitation (sql_store_team.cpp, where it is defined).
#include <cstdint>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/role.hpp"
#include "store/sql/transaction.hpp"

namespace tenantsync::store::detail {

/// Inside tx: the membership of `user_id` in `tenant_id` with `role`; "already_member" when the
/// person is in the tenant.
Status add_membership(sql::Transaction& tx, TenantId tenant_id, UserId user_id, core::Role role, std::int64_t now_ms);

}  // namespace tenantsync::store::detail
