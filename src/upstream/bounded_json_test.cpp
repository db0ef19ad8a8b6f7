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

TEST(BoundedJson, AHugeRecordKeepsItsFieldsOnly) {
  nlohmann::json record = {{"Id", "1"}, {"Blob", std::string(100'000, 'x')}};
  const std::string raw = bounded_raw_json(record, {{"Id", "1"}, {"LastName", "Li"}});
  EXPECT_LT(raw.size(), kMaxRawRecordBytes);
  const auto parsed = nlohmann::json::parse(raw);
  EXPECT_EQ(parsed["LastName"], "Li");
  EXPECT_GT(parsed["_raw_truncated_bytes"].get<std::size_t>(), 100'000u);
  EXPECT_EQ(bounded_raw_json(nlohmann::json{{"Id", "2"}}, {}), R"({"Id":"2"})");
}

}  // namespace
}  // namespace tenantsync::upstream
