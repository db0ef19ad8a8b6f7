// tenantsync: read the command line and configuration, then run one command.
#include <iostream>

#include <CLI/CLI.hpp>

#include "app/app.hpp"

int main(int argc, char** argv) {
  using namespace tenantsync::app;
  CLI::App cli{"tenantsync: keeps each tenant's local mirror of its voice platform and CRM exact"};
  cli.require_subcommand(1);
  std::string config_file, port_file;
  cli.add_option("-c,--config", config_file, "TOML configuration file (environment variables override it)");
  // Subcommands inherit this: `tenantsync serve --config F` hands --config up to the top level,
  // so it works on either side of the command, as the README shows.
  cli.fallthrough();

  auto* serve_cmd = cli.add_subcommand("serve", "run the HTTP API, the dashboard and the sync engine");
  serve_cmd->add_option("--port-file", port_file, "write the bound port here once listening (tests)");
  cli.add_subcommand("migrate", "apply pending database migrations and exit");
  auto* admin = cli.add_subcommand("admin", "administration");
  admin->require_subcommand(1);
  CreateUserArgs user_args;
  auto* create = admin->add_subcommand("create-user", "add a user (to a new tenant with --create-tenant)");
  create->add_option("--email", user_args.email, "the user's e-mail")->required();
  create->add_option("--password", user_args.password,
                     "the password (or set TENANTSYNC_ADMIN_PASSWORD, which keeps it out of shell history)");
  create->add_option("--tenant", user_args.tenant_name, "tenant name")->required();
  create->add_flag("--create-tenant", user_args.create_tenant, "create the tenant");
  auto* rotate = admin->add_subcommand(
      "rotate-key", "re-seal every stored secret with a new secret key (stop the servers first; see docs/operations.md)");
  cli.add_subcommand("version", "print the version");

  CLI11_PARSE(cli, argc, argv);
  if (cli.got_subcommand("version")) {
    std::cout << "tenantsync 0.1.0\n";
    return 0;
  }
  auto config = load_config(config_file, process_env());
  if (!config.ok()) {
    std::cerr << config.error().message << "\n";
    return 2;
  }
  setup_logging(config->log_level);
  if (cli.got_subcommand("serve")) return serve(*config, port_file);
  if (cli.got_subcommand("migrate")) return migrate(*config);
  if (rotate->parsed()) return rotate_key(*config);
  if (create->parsed()) {
    if (user_args.password.empty()) {
      if (const char* p = std::getenv("TENANTSYNC_ADMIN_PASSWORD")) user_args.password = p;
    }
    return create_user(*config, user_args);
  }
  return 1;
}
