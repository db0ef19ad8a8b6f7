#pragma once
// Route files: each adds one area's routes to the router.
#include "api/router.hpp"
#include "api/services.hpp"

namespace tenantsync::api {

/// Auth, settings and operations routes (everything that needs no sync engine).
void add_core_routes(Router& router, Services& services);
void add_auth_routes(Router& router, Services& services);
void add_settings_routes(Router& router, Services& services);
void add_ops_routes(Router& router, Services& services);

}  // namespace tenantsync::api
