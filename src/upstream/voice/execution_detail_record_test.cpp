// GET /executions/{id} read as a listing row too: the call log's columns come from it when the
// listing left them out (service/call_service fills them).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "upstream/voice/bolna_records.hpp"

namespace tenantsync::upstream::bolna {
namespace {

TEST(ExecutionDetailRecord, CarriesTheFieldsAListingRowHas) {
  auto detail = parse_execution_detail(
      R"({"id":"ex-1","agent_id":"ag-1","batch_id":"b-1","status":"completed","conversation_duration":95,)"
      R"("total_cost":1.25,"transcript":"hi","telephony_data":{"to_number":"+14155552671",)"
      R"("from_number":"+14155550000","call_type":"outbound","provider":"twilio"}})");
  ASSERT_TRUE(detail.ok()) << detail.error().message;
  ASSERT_TRUE(detail->record.has_value());
  EXPECT_EQ(detail->record->upstream_id, "ex-1");
  EXPECT_EQ(detail->record->status, "completed");
  EXPECT_EQ(detail->record->batch_id, "b-1");
  EXPECT_EQ(detail->record->agent_id, "ag-1");
  const auto fields = nlohmann::json::parse(detail->record->fields_json);
  EXPECT_EQ(fields["total_cost"], 1.25);
  EXPECT_EQ(fields["conversation_duration"], 95);
  EXPECT_EQ(fields["to_number"], "+14155552671");
  EXPECT_EQ(fields["call_type"], "outbound");
}

TEST(ExecutionDetailRecord, ADetailWithoutAnIdHasNoRecordButStillItsDetail) {
  auto detail = parse_execution_detail(R"({"transcript":"hello","total_cost":2})");
  ASSERT_TRUE(detail.ok());
  EXPECT_FALSE(detail->record.has_value());
  EXPECT_EQ(detail->transcript, "hello");
}

}  // namespace
}  // namespace tenantsync::upstream::bolna
