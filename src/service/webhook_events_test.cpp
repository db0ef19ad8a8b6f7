#include "service/webhook_events.hpp"

#include <gtest/gtest.h>

namespace tenantsync::service {
namespace {

TEST(WebhookEvents, KnowsEveryTypeTheFeedWrites) {
  const auto& types = change_types();
  EXPECT_EQ(types.size(), 22u);
  EXPECT_NE(std::find(types.begin(), types.end(), "lead.archived"), types.end());
  EXPECT_NE(std::find(types.begin(), types.end(), "lead.merged"), types.end());
  EXPECT_NE(std::find(types.begin(), types.end(), "phone_number.restored"), types.end());
  EXPECT_NE(std::find(types.begin(), types.end(), "run.finished"), types.end());
}

TEST(WebhookEvents, ParsesTypesKindsAndStar) {
  auto parsed = parse_event_patterns({"lead.created", "execution.*", "lead.created"}, "events");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, (std::vector<std::string>{"lead.created", "execution.*"}));
  auto star = parse_event_patterns({"lead.created", "*"}, "events");
  ASSERT_TRUE(star.ok());
  EXPECT_EQ(*star, std::vector<std::string>{"*"});
}

TEST(WebhookEvents, RefusesUnknownAndEmpty) {
  EXPECT_TRUE(parse_event_patterns({}, "events").error().is(core::ErrorCode::validation_failed));
  EXPECT_TRUE(
      parse_event_patterns({"lead.deleted"}, "events").error().is(core::ErrorCode::validation_failed));
  EXPECT_TRUE(parse_event_patterns({"tenant.*"}, "events").error().is(core::ErrorCode::validation_failed));
  EXPECT_TRUE(parse_event_patterns({"lead*"}, "events").error().is(core::ErrorCode::validation_failed));
}

TEST(WebhookEvents, Matches) {
  EXPECT_TRUE(matches_any({"*"}, "run.finished"));
  EXPECT_TRUE(matches_any({"lead.*"}, "lead.updated"));
  EXPECT_FALSE(matches_any({"lead.*"}, "execution.updated"));
  EXPECT_FALSE(matches_any({"agent.*"}, "agents.updated"));
  EXPECT_TRUE(matches_any({"run.finished", "agent.created"}, "agent.created"));
  EXPECT_FALSE(matches_any({}, "agent.created"));
}

TEST(WebhookEvents, StoredFormRoundTrips) {
  const std::vector<std::string> patterns{"lead.*", "run.finished"};
  EXPECT_EQ(join_patterns(patterns), "lead.*,run.finished");
  EXPECT_EQ(split_patterns(join_patterns(patterns)), patterns);
  EXPECT_TRUE(split_patterns("").empty());
}

}  // namespace
}  // namespace tenantsync::service
