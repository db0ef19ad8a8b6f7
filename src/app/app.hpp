#pragma once
// The commands of the tenantsync binary: each takes a loaded Config and does one job.
#include <cstdint>
#include <optional>
#include <string>

#include "app/config.hpp"

namespace tenantsync::app {

/// Sets up spdlog: one logfmt-style line per event, to stderr.
void setup_logging(const std::string& level);

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
