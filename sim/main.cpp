// tenantsync-sim: the upstream simulator as a process (docs/simulator.md).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include "core/clock.hpp"
#include "demo_seed.hpp"
#include "http/server.hpp"
#include "simulator.hpp"

int main(int argc, char** argv) {
  using namespace tenantsync;
  CLI::App app{
      "tenantsync-sim: simulated Bolna, HubSpot, Salesforce and Nango APIs for tests, demos and benchmarks"};
  std::string listen = "127.0.0.1:0";
  std::string port_file;
  bool seed_demo_data = false;
  app.add_option("--listen", listen, "HOST:PORT to listen on (port 0 picks a free one)");
  app.add_option("--port-file", port_file, "write the bound port to this file once listening");
  app.add_flag("--seed-demo", seed_demo_data,
               "create the demo data (Bolna acct-demo-1 and acct-demo-2, HubSpot portal 4000001, "
               "a Salesforce org, Nango connections demo-hubspot and demo-salesforce)");
  // Requests handled at once. A latency fault holds its thread for the delay, so a load that
  // stands for many clients of a real upstream (bench/cluster_bench.mjs) needs more than the default.
  int threads = 8;
  app.add_option("--threads", threads, "requests handled at once (default 8)")->check(CLI::Range(1, 512));
  CLI11_PARSE(app, argc, argv);

  const auto colon = listen.rfind(':');
  http::ServerOptions options;
  options.name = "tenantsync-sim";
  options.body_limit = 64 << 20;  // bulk control calls (thousands of records) are legitimate here
  options.handler_threads = threads;
  try {
    if (colon == std::string::npos) throw std::invalid_argument("no port");
    options.host = listen.substr(0, colon);
    const int port = std::stoi(listen.substr(colon + 1));
    if (port < 0 || port > 65535) throw std::out_of_range("port");
    options.port = static_cast<std::uint16_t>(port);
  } catch (const std::exception&) {
    std::cerr << "tenantsync-sim: --listen must be HOST:PORT, got \"" << listen << "\"\n";
    return 2;
  }

  SystemClock clock;
  sim::Simulator simulator(clock);
  if (seed_demo_data) {
    // Nango last: its connections point at the HubSpot portal and the Salesforce org.
    for (const sim::Status& seeded :
         {sim::seed_demo(simulator.bolna()), sim::seed_demo(simulator.hubspot()),
          sim::seed_demo(simulator.salesforce()), sim::seed_demo(simulator.nango())}) {
      if (!seeded) {
        std::cerr << "tenantsync-sim: demo seed failed: " << seeded.error().message << "\n";
        return 1;
      }
    }
  }

  try {
    http::Server server(options,
                        [&simulator](const http::Request& request) { return simulator.handle(request); });
    const std::uint16_t port = server.start();
    if (!port_file.empty()) {
      // Write then rename, so a test polling the file never reads a half-written port.
      const std::string temp = port_file + ".tmp";
      std::ofstream(temp) << port << "\n";
      std::rename(temp.c_str(), port_file.c_str());
    }
    std::cout << "tenantsync-sim listening on http://" << options.host << ":" << port << std::endl;
    server.wait_for_shutdown_signal();
  } catch (const std::exception& e) {
    std::cerr << "tenantsync-sim: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
