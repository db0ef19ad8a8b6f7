#include "app/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "core/log_text.hpp"

namespace tenantsync::app {
namespace {

// %V: the message (spdlog's %v) with its control characters escaped. Applied to the whole
// message, it covers every log call, including ones that forget to use core::log_value.
class EscapedMessage final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    const std::string escaped =
        core::escape_control(std::string_view(msg.payload.data(), msg.payload.size()));
    dest.append(escaped.data(), escaped.data() + escaped.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<EscapedMessage>(); }
};

}  // namespace

std::unique_ptr<spdlog::formatter> escaping_formatter() {
  auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
  formatter->add_flag<EscapedMessage>('V').set_pattern("ts=%Y-%m-%dT%H:%M:%S.%eZ level=%l %V");
  return formatter;
}

void setup_logging(const std::string& level) {
  auto logger = spdlog::stderr_logger_mt("tenantsync");
  logger->set_formatter(escaping_formatter());
  logger->set_level(spdlog::level::from_str(level));
  spdlog::set_default_logger(logger);
  spdlog::flush_on(spdlog::level::info);
}

}  // namespace tenantsync::app
