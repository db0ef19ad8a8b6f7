#pragma once
// Route files: each adds one area's routes to the router.
#include "api/json.hpp"
#include "api/router.hpp"
#include "api/services.hpp"

namespace tenantsync::api {

/// Every route of the API.
void add_core_routes(Router& router, Services& services);
void add_auth_routes(Router& router, Services& services);
void add_settings_routes(Router& router, Services& services);
void add_ops_routes(Router& router, Services& services);

/// Routes that need the sync engine (they answer 503 without one).
void add_sync_routes(Router& router, Services& services);
void add_mirror_routes(Router& router, Services& services);
void add_events_routes(Router& router, Services& services);
void add_crm_routes(Router& router, Services& services);
void add_leads_routes(Router& router, Services& services);

/// A lead as the API shows it.
Json lead_json(const store::Lead& lead);

}  // namespace tenantsync::api
