// How a run's outcome is answered: "Sync completed with warnings" and the resources not read.
#include "api/run_json.hpp"

#include <gtest/gtest.h>

namespace tenantsync::api {
namespace {

store::SyncRun succeeded_with(std::string warnings_json) {
  store::SyncRun run;
  run.id = RunId{7};
  run.state = core::RunState::succeeded;
  run.counts_json = R"({"agents":{"created":1,"archived":0}})";
  run.warnings_json = std::move(warnings_json);
  return run;
}

TEST(RunJsonTest, AResourceNotReadMakesItCompletedWithWarnings) {
  const auto run = succeeded_with(
      R"([{"resource":"executions","code":"upstream_paging_loop","message":"Executions were not read."},
          {"resource":"agents","code":"record_warning","message":"agent a1: field 'updated_at' …"}])");
  auto [status, body] = sync_result(run);
  EXPECT_EQ(status, 200);
  EXPECT_EQ(body["success"], true);
  EXPECT_EQ(body["message"], "Sync completed with warnings");
  ASSERT_EQ(body["warnings"].size(), 2u);
  EXPECT_EQ(body["warnings"][0]["resource"], "executions");
  EXPECT_EQ(body["warnings"][0]["code"], "upstream_paging_loop");
  EXPECT_EQ(body["resources"]["agents"]["created"], 1);
  const Json not_read = resources_not_read(body["warnings"]);
  ASSERT_EQ(not_read.size(), 1u);
  EXPECT_EQ(not_read[0]["resource"], "executions");
}

TEST(RunJsonTest, RecordWarningsAloneAreACompletedSync) {
  auto [status, body] =
      sync_result(succeeded_with(R"([{"resource":"agents","code":"record_warning","message":"odd"}])"));
  EXPECT_EQ(status, 200);
  EXPECT_EQ(body["message"], "Sync completed");
  auto dry = succeeded_with(R"([{"resource":"campaigns","code":"upstream_error","message":"x"}])");
  dry.dry_run = true;
  EXPECT_EQ(completed_message(dry), "Dry run completed with warnings");
}

TEST(RunJsonTest, OldBareSentenceWarningsShowAsRecordWarnings) {
  const Json warnings = warnings_of(succeeded_with(R"(["agents: skipped 1 upstream record without an id"])"));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0]["code"], "record_warning");
  EXPECT_TRUE(warnings[0]["resource"].is_null());
  EXPECT_EQ(warnings[0]["message"], "agents: skipped 1 upstream record without an id");
  EXPECT_TRUE(warnings_of(succeeded_with("not json")).empty());
  EXPECT_EQ(run_json(succeeded_with("[]"))["warnings"], Json::array());
}

}  // namespace
}  // namespace tenantsync::api
