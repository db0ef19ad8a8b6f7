#include "service/webhook_dispatch.hpp"

#include <gtest/gtest.h>

namespace tenantsync::service {
namespace {

TEST(WebhookDispatch, BodyCarriesTheDeliveryIdAndTheChange) {
  store::Change c;
  c.seq = 42;
  c.type = "lead.updated";
  c.object_kind = "lead";
  c.object_id = 7;
  c.upstream_id = "5101";
  c.detail = "crm";
  c.occurred_at_ms = 1'700'000'000'000;
  const auto body = nlohmann::json::parse(WebhookDispatcher::render_body(c, "dlv_1"));
  EXPECT_EQ(body["id"], "dlv_1");
  EXPECT_EQ(body["seq"], 42);
  EXPECT_EQ(body["type"], "lead.updated");
  EXPECT_EQ(body["occurred_at"], "2023-11-14T22:13:20.000Z");
  EXPECT_EQ(body["object"],
            (nlohmann::json{{"kind", "lead"}, {"id", 7}, {"upstream_id", "5101"}, {"source", "crm"}}));
  EXPECT_TRUE(WebhookDispatcher::render_body(c, "dlv_1").starts_with(R"({"id":"dlv_1",)"));
}

TEST(WebhookDispatch, AMergedLeadNamesTheContactItBecame) {
  store::Change c;
  c.seq = 9;
  c.type = "lead.merged";
  c.object_kind = "lead";
  c.object_id = 12;
  c.upstream_id = "1003";
  c.detail = "1002";
  EXPECT_EQ(WebhookDispatcher::change_json(c)["object"],
            (nlohmann::json{{"kind", "lead"}, {"id", 12}, {"upstream_id", "1003"}, {"source", "crm"}, {"merged_into", "1002"}}));
}

TEST(WebhookDispatch, RunsCarryTheirStateAndMissingValuesAreNull) {
  store::Change c;
  c.seq = 1;
  c.type = "run.finished";
  c.object_kind = "run";
  c.object_id = 3;
  c.upstream_id = "voice";
  c.detail = "failed";
  EXPECT_EQ(WebhookDispatcher::change_json(c)["object"]["state"], "failed");
  c.object_kind = "execution";
  c.upstream_id.clear();
  c.detail.clear();
  const auto object = WebhookDispatcher::change_json(c)["object"];
  EXPECT_TRUE(object["upstream_id"].is_null());
  EXPECT_TRUE(object["status"].is_null());
}

}  // namespace
}  // namespace tenantsync::service
