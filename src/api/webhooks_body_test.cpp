#include "api/webhooks_body.hpp"

#include <gtest/gtest.h>

#include "api/json.hpp"

namespace tenantsync::api {
namespace {

int status_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ApiError& e) {
    return e.status();
  }
  return 0;
}

TEST(WebhooksBody, NewWebhookNeedsAUrlAndDefaultsToEveryEvent) {
  auto body = parse_new_webhook_body(R"({"url":"https://example.com/hook"})");
  EXPECT_EQ(body.url, "https://example.com/hook");
  EXPECT_EQ(body.events, std::vector<std::string>{"*"});
  auto listed =
      parse_new_webhook_body(R"({"url":"https://example.com/hook","events":["lead.*","run.finished"]})");
  EXPECT_EQ(listed.events, (std::vector<std::string>{"lead.*", "run.finished"}));
}

TEST(WebhooksBody, RefusesBadShapes) {
  EXPECT_EQ(status_of([] { parse_new_webhook_body(R"({})"); }), 422);
  EXPECT_EQ(status_of([] { parse_new_webhook_body(R"({"url":5})"); }), 422);
  EXPECT_EQ(status_of([] { parse_new_webhook_body(R"({"url":"https://e.com","events":"lead.*"})"); }), 422);
  EXPECT_EQ(status_of([] { parse_new_webhook_body(R"({"url":"https://e.com","events":[1]})"); }), 422);
  EXPECT_EQ(status_of([] { parse_new_webhook_body("{not json"); }), 400);
  std::string many = R"({"url":"https://e.com","events":[)";
  for (int i = 0; i < 51; ++i) many += std::string(i ? "," : "") + "\"lead.created\"";
  EXPECT_EQ(status_of([&] { parse_new_webhook_body(many + "]}"); }), 422);
}

TEST(WebhooksBody, ChangeFieldsAreOptional) {
  auto none = parse_webhook_change_body("{}");
  EXPECT_FALSE(none.url || none.events || none.active);
  auto all = parse_webhook_change_body(R"({"url":"https://e.com/x","events":["*"],"active":false})");
  EXPECT_EQ(*all.url, "https://e.com/x");
  EXPECT_EQ(*all.events, std::vector<std::string>{"*"});
  EXPECT_FALSE(*all.active);
  EXPECT_EQ(status_of([] { parse_webhook_change_body(R"({"active":"no"})"); }), 422);
}

}  // namespace
}  // namespace tenantsync::api
