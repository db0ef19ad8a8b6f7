#pragma once
// The commands of the tenantsync binary: each takes a loaded Config and does one job.
#include <cstdint>
#include <optional>
#include <string>

#include "app/config.hpp"
#include "app/logging.hpp"
#include "app/secret_keys.hpp"

namespace tenantsync::app {

/// `tenantsync serve`: migrates, serves until SIGTERM/SIGINT, drains, returns the exit code.
int serve(const Config& config, const std::string& port_file);
/// `tenantsync migrate`: applies pending migrations and prints the schema version.
int migrate(const Config& config);

struct CreateUserArgs {
  std::string email;
  std::string password;
  std::string tenant_name;  ///< an existing tenant's name, or a new tenant's with create_tenant
  bool create_tenant = false;
};
/// `tenantsync admin create-user`.
int create_user(const Config& config, const CreateUserArgs& args);

}  // namespace tenantsync::app
