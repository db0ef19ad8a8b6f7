#pragma once
// The process's logger: one logfmt-style line per event, to stderr, with every control character
// of the message escaped (core/log_text), so no logged value can start a line of its own.
#include <spdlog/formatter.h>

#include <memory>
#include <string>

namespace tenantsync::app {

/// The line format: time, level, then the message with its control characters escaped.
std::unique_ptr<spdlog::formatter> escaping_formatter();

/// Sets up spdlog's default logger with escaping_formatter at `level`.
void setup_logging(const std::string& level);

}  // namespace tenantsync::app
