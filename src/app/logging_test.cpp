#include "app/logging.hpp"

#include <gtest/gtest.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>

namespace tenantsync::app {
namespace {

TEST(Logging, AMessageWithALineBreakStaysOneLine) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  spdlog::logger logger("test", sink);
  logger.set_formatter(escaping_formatter());
  logger.info("event=request path={} status=404", "/x\nts=2030-01-01T00:00:00.000Z level=info event=forged");
  logger.flush();
  const std::string text = out.str();
  ASSERT_FALSE(text.empty());
  // One line: the only newline is the one that ends the record.
  EXPECT_EQ(text.find('\n'), text.size() - 1) << text;
  EXPECT_NE(text.find("path=/x\\nts=2030"), std::string::npos) << text;
  EXPECT_TRUE(text.starts_with("ts=")) << text;
  EXPECT_NE(text.find(" level=info event=request"), std::string::npos) << text;
}

}  // namespace
}  // namespace tenantsync::app
