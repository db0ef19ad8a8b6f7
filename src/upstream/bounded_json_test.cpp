#include "upstream/bounded_json.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tenantsync::upstream {
namespace {

TEST(BoundedJson, ADeepDocumentIsDiscardedBeforeItIsParsed) {
  const std::string deep = "{\"records\":[" + std::string(100'000, '[') + std::string(100'000, ']') + "]}";
  EXPECT_TRUE(parse_bounded_json(deep).is_discarded());
  EXPECT_TRUE(parse_bounded_json("{\"a\":").is_discarded());
  EXPECT_EQ(parse_bounded_json(R"({"records":[{"Id":"1"}]})")["records"][0]["Id"], "1");
}

}  // namespace
}  // namespace tenantsync::upstream
