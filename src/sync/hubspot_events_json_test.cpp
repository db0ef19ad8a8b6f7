#include "sync/hubspot_events_json.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tenantsync::sync {
namespace {

TEST(HubspotWebhookJson, ReadsContactEventsAndMerges) {
  auto parsed = parse_hubspot_webhook(R"([
    {"eventId":11,"portalId":62515,"subscriptionType":"contact.propertyChange","objectId":1001,
     "occurredAt":1700000000000,"propertyName":"email","propertyValue":"a@b.c"},
    {"eventId":"12","portalId":62515,"subscriptionType":"contact.merge","objectId":1002,
     "primaryObjectId":1002,"mergedObjectIds":[1003,1002,"1004"],"occurredAt":1700000000001},
    {"eventId":13,"portalId":62515,"subscriptionType":"deal.creation","objectId":5}])");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  ASSERT_EQ(parsed->events.size(), 2u);
  EXPECT_EQ(parsed->ignored, 1);
  EXPECT_EQ(parsed->events[0].portal_id, "62515");
  EXPECT_EQ(parsed->events[0].event.event_id, "11");
  EXPECT_EQ(parsed->events[0].event.kind, "contact.propertyChange");
  EXPECT_EQ(parsed->events[0].event.object_id, "1001");
  EXPECT_EQ(parsed->events[0].event.occurred_at_ms, 1700000000000);
  EXPECT_EQ(parsed->events[1].event.object_id, "1002");
  EXPECT_EQ(parsed->events[1].event.merged_ids, "1003,1004");
}

TEST(HubspotWebhookJson, RefusesBadBodies) {
  for (const char* body : {"", "{}", "[1]", "not json", R"([{"eventId":1,"portalId":2}])",
                           R"([{"eventId":-1,"portalId":2,"objectId":3,"subscriptionType":"contact.creation"}])",
                           R"([{"eventId":"1x","portalId":2,"objectId":3,"subscriptionType":"contact.creation"}])"}) {
    auto parsed = parse_hubspot_webhook(body);
    ASSERT_FALSE(parsed.ok()) << body;
    EXPECT_TRUE(parsed.error().is(core::ErrorCode::malformed_json)) << body;
  }
  EXPECT_FALSE(parse_hubspot_webhook(std::string(200, '[') + std::string(200, ']')).ok());
}

TEST(HubspotWebhookJson, RefusesMoreThanAHundredEvents) {
  std::string body = "[";
  for (int i = 0; i < 101; ++i)
    body += (i ? "," : "") + std::string(R"({"eventId":)") + std::to_string(i) +
            R"(,"portalId":1,"objectId":2,"subscriptionType":"contact.creation"})";
  body += "]";
  auto parsed = parse_hubspot_webhook(body);
  ASSERT_FALSE(parsed.ok());
  EXPECT_TRUE(parsed.error().is(core::ErrorCode::payload_too_large));
}

}  // namespace
}  // namespace tenantsync::sync
