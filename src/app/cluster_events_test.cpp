#include "app/cluster_events.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace tenantsync::app {
namespace {

TEST(ClusterEvents, AnEventTravelsWhole) {
  const std::string data = R"({"run_id":7,"target":"voice","phase":"agents","pages":2})";
  const std::string payload = encode_cluster_event(TenantId{42}, "run.progress", data);
  auto back = decode_cluster_event(payload);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->tenant_id, TenantId{42});
  EXPECT_EQ(back->name, "run.progress");
  EXPECT_EQ(nlohmann::json::parse(back->data_json), nlohmann::json::parse(data));
}

TEST(ClusterEvents, ATooLongEventIsCutToWhatIdentifiesIt) {
  nlohmann::json data{{"run_id", 9},
                      {"target", "crm:3"},
                      {"state", "failed"},
                      {"error", {{"code", "upstream_error"}, {"message", std::string(20'000, 'x')}}}};
  const std::string payload = encode_cluster_event(TenantId{5}, "run.finished", data.dump());
  EXPECT_LE(payload.size(), store::postgres::kMaxNotifyPayload);
  auto back = decode_cluster_event(payload);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->name, "run.finished");
  EXPECT_EQ(nlohmann::json::parse(back->data_json),
            (nlohmann::json{{"run_id", 9}, {"target", "crm:3"}, {"state", "failed"}, {"truncated", true}}));
}

TEST(ClusterEvents, OtherPayloadsAreIgnored) {
  for (const char* payload :
       {"", "not json", "[1,2]", R"({"t":"1","n":"x","d":{}})", R"({"t":1,"d":{}})", R"({"t":1,"n":"x"})"}) {
    EXPECT_FALSE(decode_cluster_event(payload).has_value()) << payload;
  }
}

TEST(ClusterEvents, TheBusDeliversLocallyAndRelaysOnlyWhatItPublishes) {
  sync::EventBus bus;
  std::vector<std::string> relayed, delivered;
  bus.set_relay([&](TenantId, const std::string& name, const std::string&) { relayed.push_back(name); });
  bus.subscribe(TenantId{1}, [&](const std::string& name, const std::string&) {
    delivered.push_back(name);
    return true;
  });
  bus.publish(TenantId{1}, "run.started", "{}");   // ours: delivered here and relayed
  bus.deliver(TenantId{1}, "run.progress", "{}");  // another instance's: delivered, not relayed back
  bus.publish(TenantId{2}, "run.finished", "{}");  // no listener here, still relayed
  EXPECT_EQ(delivered, (std::vector<std::string>{"run.started", "run.progress"}));
  EXPECT_EQ(relayed, (std::vector<std::string>{"run.started", "run.finished"}));
}

TEST(ClusterEvents, QueuedAndFinishedRunsWakeOtherInstancesWorkers) {
  EXPECT_TRUE(frees_or_queues_work("run.queued"));
  EXPECT_TRUE(frees_or_queues_work("run.finished"));
  EXPECT_FALSE(frees_or_queues_work("run.progress"));
  EXPECT_FALSE(frees_or_queues_work("run.started"));
  EXPECT_FALSE(frees_or_queues_work("summary"));
}

}  // namespace
}  // namespace tenantsync::app
