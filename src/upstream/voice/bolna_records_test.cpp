#include "upstream/voice/bolna_records.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/time_format.hpp"

namespace tenantsync::upstream::bolna {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;

std::int64_t ms(const char* iso) { return to_epoch_ms(*parse_iso8601(iso)); }

// Shapes from bolna-openapi.yml (AgentV2, PhoneNumber, Batch, AgentExecutionV2List).
constexpr const char* kSpecAgents = R"([
  {"id":"3c90c3cc-0d44-4b50-8888-8dd25736052a","agent_name":"Alfred","agent_type":"other",
   "agent_status":"processed","created_at":"2024-01-23T01:14:37Z","updated_at":"2024-01-29T18:31:22Z",
   "tasks":[{"task_type":"conversation"}],"agent_prompts":{"task_1":{"system_prompt":"Hi"}}}
])";

TEST(BolnaRecordsTest, ParsesSpecAgents) {
  auto listing = parse_agents(kSpecAgents);
  ASSERT_TRUE(listing.ok()) << listing.error().message;
  ASSERT_EQ(listing->records.size(), 1u);
  EXPECT_TRUE(listing->warnings.empty());
  const VoiceRecord& agent = listing->records[0];
  EXPECT_EQ(agent.upstream_id, "3c90c3cc-0d44-4b50-8888-8dd25736052a");
  EXPECT_EQ(agent.name, "Alfred");
  EXPECT_EQ(agent.status, "processed");
  EXPECT_EQ(agent.created_at_ms, ms("2024-01-23T01:14:37Z"));
  EXPECT_EQ(agent.updated_at_ms, ms("2024-01-29T18:31:22Z"));
  EXPECT_EQ(agent.fields_json, R"({"agent_name":"Alfred","agent_status":"processed","agent_type":"other"})");
  EXPECT_EQ(Json::parse(agent.raw_json), Json::parse(kSpecAgents)[0]);
  EXPECT_EQ(agent.content_hash.size(), 16u);
}

TEST(BolnaRecordsTest, AcceptsWrappedAgentLists) {
  for (const char* body : {R"({"data":[{"id":"a1","agent_name":"A"}]})", R"({"agents":[{"id":"a1","agent_name":"A"}]})"}) {
    auto listing = parse_agents(body);
    ASSERT_TRUE(listing.ok()) << body;
    ASSERT_EQ(listing->records.size(), 1u);
    EXPECT_EQ(listing->records[0].upstream_id, "a1");
  }
}

TEST(BolnaRecordsTest, WrongTopLevelIsMalformed) {
  for (const char* body : {R"({"agents":"none"})", R"("text")", "42", R"({"message":"ok"})"}) {
    auto listing = parse_agents(body);
    ASSERT_FALSE(listing.ok()) << body;
    EXPECT_EQ(listing.error().code, core::ErrorCode::upstream_malformed);
  }
}

TEST(BolnaRecordsTest, TruncatedOrInvalidJsonIsMalformed) {
  for (const char* body : {R"([{"id":"a1","agent_name":"Al)", "", "<html>502 Bad Gateway</html>", "[1,]"}) {
    auto listing = parse_agents(body);
    ASSERT_FALSE(listing.ok()) << body;
    EXPECT_EQ(listing.error().code, core::ErrorCode::upstream_malformed);
    EXPECT_THAT(listing.error().message, HasSubstr("could not be read"));
  }
}

TEST(BolnaRecordsTest, RecordsWithoutUsableIdAreSkippedWithWarnings) {
  auto listing = parse_agents(R"([
    {"id":"good","agent_name":"Ok"},
    {"agent_name":"no id"},
    {"id":"","agent_name":"empty id"},
    {"id":12,"agent_name":"numeric id"},
    {"id":null},
    "not an object"
  ])");
  ASSERT_TRUE(listing.ok());
  ASSERT_EQ(listing->records.size(), 1u);
  EXPECT_EQ(listing->records[0].upstream_id, "good");
  ASSERT_EQ(listing->warnings.size(), 5u);
  EXPECT_THAT(listing->warnings[0], HasSubstr("agent #2 has no usable 'id'; skipped"));
  EXPECT_THAT(listing->warnings[4], HasSubstr("agent #6 is not an object"));
}

TEST(BolnaRecordsTest, WrongTypesLeaveFieldsEmptyWithWarnings) {
  auto listing = parse_agents(R"([{"id":"a1","agent_name":["x"],"agent_type":7,"agent_status":"seeding",
                                   "created_at":12345,"updated_at":"yesterday","extra":{"ignored":true}}])");
  ASSERT_TRUE(listing.ok());
  ASSERT_EQ(listing->records.size(), 1u);
  const VoiceRecord& agent = listing->records[0];
  EXPECT_EQ(agent.name, "");
  EXPECT_EQ(agent.status, "seeding");
  EXPECT_EQ(agent.created_at_ms, 0);
  EXPECT_EQ(agent.updated_at_ms, 0);
  EXPECT_EQ(agent.fields_json, R"({"agent_status":"seeding"})");
  EXPECT_THAT(listing->warnings, ::testing::Contains(HasSubstr("agent a1: field 'agent_type' is not a string")));
  EXPECT_THAT(listing->warnings, ::testing::Contains(HasSubstr("field 'updated_at' has an unreadable time 'yesterday'")));
  EXPECT_THAT(listing->warnings, ::testing::Contains(HasSubstr("field 'created_at' is not a string")));
}

TEST(BolnaRecordsTest, ReadsTheSeveralTimeForms) {
  auto listing = parse_agents(R"([
    {"id":"a","created_at":"2024-01-23T01:14:37Z"},
    {"id":"b","created_at":"2024-01-23T01:14:37.123456"},
    {"id":"c","created_at":"2024-01-23 01:14:37"},
    {"id":"d","created_at":"2024-01-23T06:44:37+05:30"},
    {"id":"e","created_at":"2024-02-29T04:22:89Z"}
  ])");
  ASSERT_TRUE(listing.ok());
  ASSERT_EQ(listing->records.size(), 5u);
  const auto base = ms("2024-01-23T01:14:37Z");
  EXPECT_EQ(listing->records[0].created_at_ms, base);
  EXPECT_EQ(listing->records[1].created_at_ms, base + 123);
  EXPECT_EQ(listing->records[2].created_at_ms, base);
  EXPECT_EQ(listing->records[3].created_at_ms, base);
  EXPECT_EQ(listing->records[4].created_at_ms, 0);  // the spec's own example has 89 seconds
  ASSERT_EQ(listing->warnings.size(), 1u);
  EXPECT_THAT(listing->warnings[0], HasSubstr("agent e"));
}

// Found by fuzz/bolna_batches: a year no TimePoint holds overflowed; the record is kept without it.
TEST(BolnaRecordsTest, AYearOutOfRangeIsNoTime) {
  auto listing = parse_batches(R"([{"batch_id":"b1","created_at":"0224-01-23T05:14:37Z",
                                    "updated_at":"9999-01-01T00:00:00Z"}])",
                               "agent-1");
  ASSERT_TRUE(listing.ok());
  ASSERT_EQ(listing->records.size(), 1u);
  EXPECT_EQ(listing->records[0].created_at_ms, 0);
  EXPECT_EQ(listing->records[0].updated_at_ms, 0);
}

TEST(BolnaRecordsTest, HugeStringsAreCut) {
  const std::string long_name(5000, 'n');
  const std::string huge_prompt(70 * 1024, 'p');
  const std::string body = R"([{"id":"a1","agent_name":")" + long_name + R"(","agent_prompts":")" + huge_prompt + R"("}])";
  auto listing = parse_agents(body);
  ASSERT_TRUE(listing.ok());
  ASSERT_EQ(listing->records.size(), 1u);
  const VoiceRecord& agent = listing->records[0];
  EXPECT_EQ(agent.name.size(), kMaxNameBytes);
  EXPECT_LE(agent.raw_json.size(), kMaxRawBytes);
  const Json raw = Json::parse(agent.raw_json);  // still valid JSON
  EXPECT_TRUE(raw.contains("_raw_truncated_bytes"));
  EXPECT_THAT(listing->warnings, ::testing::Contains(HasSubstr("only its normalized fields are kept")));
  EXPECT_THAT(listing->warnings, ::testing::Contains(HasSubstr("'agent_name' is 5000 bytes long")));
}

TEST(BolnaRecordsTest, CutsOnACharacterBoundary) {
  std::string name = "x";  // shifts the 2-byte characters so byte 1024 falls inside one
  for (int i = 0; i < 600; ++i) name += "\u00e9";
  auto listing = parse_agents(R"([{"id":"a1","agent_name":")" + name + R"("}])");
  ASSERT_TRUE(listing.ok());
  const std::string& cut = listing->records[0].name;
  EXPECT_EQ(cut.size(), kMaxNameBytes - 1);
  std::string dumped;
  EXPECT_NO_THROW(dumped = Json(cut).dump());  // nlohmann throws on invalid UTF-8
}

TEST(BolnaRecordsTest, WarningsAreCapped) {
  std::string body = "[";
  for (int i = 0; i < 200; ++i) body += std::string(i ? "," : "") + R"({"agent_name":"x"})";
  body += "]";
  auto listing = parse_agents(body);
  ASSERT_TRUE(listing.ok());
  EXPECT_TRUE(listing->records.empty());
  ASSERT_EQ(listing->warnings.size(), kMaxWarnings + 1);
  EXPECT_EQ(listing->warnings.back(), "… and 150 more warnings");
}

TEST(BolnaRecordsTest, ContentHashIgnoresKeyOrderAndRawExtras) {
  auto first = parse_agents(R"([{"id":"a1","agent_name":"A","agent_type":"t","agent_status":"processed","tasks":[1]}])");
  auto second = parse_agents(R"([{"agent_status":"processed","tasks":[2],"agent_type":"t","id":"a1","agent_name":"A"}])");
  auto changed = parse_agents(R"([{"id":"a1","agent_name":"B","agent_type":"t","agent_status":"processed"}])");
  ASSERT_TRUE(first.ok() && second.ok() && changed.ok());
  EXPECT_EQ(first->records[0].content_hash, second->records[0].content_hash);
  EXPECT_EQ(first->records[0].fields_json, second->records[0].fields_json);
  EXPECT_NE(first->records[0].content_hash, changed->records[0].content_hash);
}

TEST(BolnaRecordsTest, ParsesSpecPhoneNumbers) {
  auto listing = parse_phone_numbers(R"([
    {"id":"3c90c3cc0d444b5088888dd25736052a","humanized_created_at":"5 minutes ago",
     "created_at":"2024-01-23T05:14:37Z","renewal_at":"17th Dec, 2024","phone_number":"+19876543210",
     "agent_id":"ag-1","price":"$5.0","telephony_provider":"twilio","rented":true},
    {"id":"p2","phone_number":"+15550001111","rented":false,"telephony_provider":"plivo"}
  ])");
  ASSERT_TRUE(listing.ok());
  ASSERT_EQ(listing->records.size(), 2u);
  const VoiceRecord& rented = listing->records[0];
  EXPECT_EQ(rented.name, "+19876543210");
  EXPECT_EQ(rented.status, "rented");
  EXPECT_EQ(rented.agent_id, "ag-1");
  EXPECT_EQ(Json::parse(rented.fields_json),
            Json::parse(R"({"phone_number":"+19876543210","telephony_provider":"twilio","agent_id":"ag-1",
                            "rented":true,"price":"$5.0","renewal_at":"17th Dec, 2024"})"));
  EXPECT_EQ(listing->records[1].status, "active");
  EXPECT_EQ(listing->records[1].agent_id, "");
}

TEST(BolnaRecordsTest, ParsesSpecBatches) {
  auto listing = parse_batches(R"([
    {"batch_id":"3c90c3cc0d444b5088888dd25736052a","humanized_created_at":"5 minutes ago",
     "created_at":"2024-01-23T05:14:37Z","updated_at":"2024-01-23T05:15:00Z","status":"scheduled",
     "scheduled_at":"2024-01-29T08:30:00Z","from_phone_numbers":["+19876543007"],"file_name":"customers.csv",
     "valid_contacts":7,"total_contacts":11,"execution_status":{"completed":1,"ringing":10}},
    {"batch_id":"b2","status":"running","file_name":"","valid_contacts":"7","from_phone_numbers":"+1"}
  ])", "agent-9");
  ASSERT_TRUE(listing.ok());
  ASSERT_EQ(listing->records.size(), 2u);
  const VoiceRecord& batch = listing->records[0];
  EXPECT_EQ(batch.upstream_id, "3c90c3cc0d444b5088888dd25736052a");
  EXPECT_EQ(batch.batch_id, batch.upstream_id);
  EXPECT_EQ(batch.agent_id, "agent-9");
  EXPECT_EQ(batch.name, "customers.csv");
  EXPECT_EQ(batch.status, "scheduled");
  EXPECT_EQ(Json::parse(batch.fields_json),
            Json::parse(R"({"status":"scheduled","scheduled_at":"2024-01-29T08:30:00Z","file_name":"customers.csv",
                            "valid_contacts":7,"total_contacts":11,"execution_status":{"completed":1,"ringing":10},
                            "from_phone_numbers":["+19876543007"]})"));
  const VoiceRecord& odd = listing->records[1];
  EXPECT_EQ(odd.name, "b2");  // empty file name falls back to the id
  EXPECT_EQ(odd.status, "running");
  EXPECT_THAT(listing->warnings, ::testing::Contains(HasSubstr("batch b2: field 'valid_contacts' is not a number")));
  EXPECT_THAT(listing->warnings, ::testing::Contains(HasSubstr("batch b2: field 'from_phone_numbers' is not a list")));
}

TEST(BolnaRecordsTest, ParsesSpecExecutionPage) {
  auto page = parse_execution_page(R"({"page_number":1,"page_size":50,"total":2,"has_more":true,"data":[
    {"id":"4c06b4d1-4096-4561-919a-4f94539c8d4a","agent_id":"ag-1","batch_id":"baab7cdc833145bf8dd260ff1f0a3f21",
     "conversation_duration":42.5,"total_cost":12,"status":"completed","created_at":"2025-05-07T10:00:00.000Z",
     "telephony_data":{"duration":"42","to_number":"+10123456789","from_number":"+19876543007",
                       "call_type":"outbound","provider":"twilio","recording_url":"https://r"}},
    {"id":"e2","status":"no-answer","conversation_time":3,"created_at":"2025-05-07T11:00:00Z"}
  ]})", "ag-1");
  ASSERT_TRUE(page.ok()) << page.error().message;
  EXPECT_TRUE(page->has_more);
  EXPECT_EQ(page->page_number, 1);
  EXPECT_EQ(page->total, 2);
  ASSERT_EQ(page->listing.records.size(), 2u);
  const VoiceRecord& call = page->listing.records[0];
  EXPECT_EQ(call.name, call.upstream_id);
  EXPECT_EQ(call.status, "completed");
  EXPECT_EQ(call.batch_id, "baab7cdc833145bf8dd260ff1f0a3f21");
  EXPECT_EQ(Json::parse(call.fields_json),
            Json::parse(R"({"status":"completed","conversation_duration":42.5,"total_cost":12,
                            "batch_id":"baab7cdc833145bf8dd260ff1f0a3f21","to_number":"+10123456789",
                            "from_number":"+19876543007","provider":"twilio","call_type":"outbound"})"));
  const VoiceRecord& trimmed = page->listing.records[1];
  EXPECT_EQ(trimmed.agent_id, "ag-1");  // list rows omit agent_id: the listing's agent is used
  EXPECT_EQ(Json::parse(trimmed.fields_json), Json::parse(R"({"status":"no-answer","conversation_duration":3})"));
}

TEST(BolnaRecordsTest, ExecutionPageShapes) {
  auto last = parse_execution_page(R"({"data":[]})", "a");
  ASSERT_TRUE(last.ok());
  EXPECT_FALSE(last->has_more);
  auto bare = parse_execution_page(R"([{"id":"e1"}])", "a");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->listing.records.size(), 1u);
  EXPECT_FALSE(bare->has_more);
  auto bad_more = parse_execution_page(R"({"has_more":"yes","data":[]})", "a");
  ASSERT_FALSE(bad_more.ok());
  EXPECT_EQ(bad_more.error().code, core::ErrorCode::upstream_malformed);
  auto bad_telephony = parse_execution_page(R"({"data":[{"id":"e1","telephony_data":"x"}]})", "a");
  ASSERT_TRUE(bad_telephony.ok());
  EXPECT_THAT(bad_telephony->listing.warnings, ::testing::Contains(HasSubstr("'telephony_data' is not an object")));
}

TEST(BolnaRecordsTest, PagingMarksOfAnotherTypeAreAsGoodAsNone) {
  auto page = parse_execution_page(R"({"page_number":"2","total":1.5,"has_more":false,"data":[]})", "a");
  ASSERT_TRUE(page.ok());
  EXPECT_FALSE(page->page_number.has_value());
  EXPECT_FALSE(page->total.has_value());
  auto none = parse_execution_page(R"({"data":[]})", "a");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->page_number.has_value());
}

// The spec's examples carry …T04:22:89Z; an impossible time never costs a record of any
// resource: the time is stored as unknown (0, a NULL column) and the run gets a warning.
TEST(BolnaRecordsTest, ImpossibleTimesAreUnknownWithAWarningInEveryResource) {
  constexpr const char* kBad = "2024-02-29T04:22:89Z";
  auto agents = parse_agents(
      R"([{"id":"a1","created_at":"2024-02-30T01:00:00Z","updated_at":"2024-02-29T04:22:89Z"}])");
  auto numbers =
      parse_phone_numbers(R"([{"id":"p1","phone_number":"+19876543210","created_at":"2024-01-23T05:14:37Z",
                                          "updated_at":"2024-02-29T04:22:89Z","renewal_at":"17th Dec, 2024"}])");
  auto batches = parse_batches(R"([{"batch_id":"b1","updated_at":"2024-02-29T04:22:89Z",
                                    "scheduled_at":"2024-13-01T00:00:00Z"}])",
                               "a1");
  auto page =
      parse_execution_page(R"({"has_more":false,"data":[{"id":"e1","created_at":"2024-01-23T25:00:00Z",
                                                                 "updated_at":"2024-02-29T04:22:89Z"}]})",
                           "a1");
  ASSERT_TRUE(agents.ok() && numbers.ok() && batches.ok() && page.ok());
  for (const VoiceListing* listing : {&*agents, &*numbers, &*batches, &page->listing}) {
    ASSERT_EQ(listing->records.size(), 1u);
    EXPECT_EQ(listing->records[0].updated_at_ms, 0);
    EXPECT_THAT(
        listing->warnings,
        ::testing::Contains(HasSubstr(std::string("field 'updated_at' has an unreadable time '") + kBad)));
  }
  EXPECT_EQ(agents->records[0].created_at_ms, 0);  // February 30 is not March 1
  EXPECT_THAT(agents->warnings, ::testing::Contains(HasSubstr("'2024-02-30T01:00:00Z'")));
  EXPECT_EQ(numbers->records[0].created_at_ms, ms("2024-01-23T05:14:37Z"));
  EXPECT_EQ(Json::parse(numbers->records[0].fields_json)["renewal_at"],
            "17th Dec, 2024");  // a label, kept as text
  EXPECT_FALSE(Json::parse(batches->records[0].fields_json).contains("scheduled_at"));
  EXPECT_THAT(batches->warnings,
              ::testing::Contains(HasSubstr("field 'scheduled_at' has an unreadable time")));
  EXPECT_EQ(page->listing.records[0].created_at_ms, 0);
}

TEST(BolnaRecordsTest, ParsesAccount) {
  auto account = parse_account(R"({"id":"u-1","name":"Bruce Wayne","email":"bruce@example.com","wallet":42.42,
                                   "concurrency":{"max":10,"current":7}})");
  ASSERT_TRUE(account.ok());
  EXPECT_EQ(account->id, "u-1");
  EXPECT_EQ(account->name, "Bruce Wayne");
  EXPECT_EQ(account->email, "bruce@example.com");
  auto missing = parse_account(R"({"name":"x"})");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::ErrorCode::upstream_malformed);
  auto list = parse_account("[]");
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(list.error().code, core::ErrorCode::upstream_malformed);
}

TEST(BolnaRecordsTest, ErrorMessageFromTheKnownShapes) {
  EXPECT_EQ(error_message(R"({"error":401,"message":"Access denied"})"), "Access denied");
  EXPECT_EQ(error_message(R"({"detail":"Invalid API key"})"), "Invalid API key");
  EXPECT_EQ(error_message(R"({"error":"forbidden"})"), "forbidden");
  EXPECT_EQ(error_message(R"({"error":403})"), "403");
  EXPECT_EQ(error_message(R"({"detail":[{"loc":"x"}]})"), "");
  EXPECT_EQ(error_message("not json"), "");
}

TEST(BolnaRecordsTest, ParsesAnExecutionsDetail) {
  auto detail = parse_execution_detail(
      R"({"id":"ex-1","transcript":"assistant: hi\nuser: hello","extracted_data":{"interested":true},
          "cost_breakdown":{"llm":0.1,"platform":0.2},
          "telephony_data":{"provider":"twilio","recording_url":"https://r.example/ex-1.mp3"}})");
  ASSERT_TRUE(detail.ok()) << detail.error().message;
  EXPECT_EQ(detail->transcript, "assistant: hi\nuser: hello");
  EXPECT_EQ(detail->transcript_bytes, 25);
  EXPECT_FALSE(detail->transcript_truncated);
  EXPECT_EQ(detail->recording_url, "https://r.example/ex-1.mp3");
  EXPECT_EQ(Json::parse(detail->extracted_data_json), Json({{"interested", true}}));
  EXPECT_EQ(Json::parse(detail->cost_breakdown_json)["platform"], 0.2);
  EXPECT_EQ(Json::parse(detail->telephony_data_json)["provider"], "twilio");

  auto bare = parse_execution_detail(R"({"id":"ex-2","transcript":null,"recording_url":"https://r/2"})");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->transcript, "");
  EXPECT_EQ(bare->extracted_data_json, "null");
  EXPECT_EQ(bare->recording_url, "https://r/2");
  EXPECT_EQ(parse_execution_detail("[]").error().code, core::ErrorCode::upstream_malformed);
}

TEST(BolnaRecordsTest, AHugeTranscriptAndHugePartsAreBounded) {
  // A multi-byte character straddles the bound: the cut stays valid UTF-8.
  const std::string transcript = std::string(kMaxTranscriptBytes - 1, 'a') + "é" + std::string(100, 'b');
  const std::string blob = std::string(kMaxDetailPartBytes, 'z');
  auto detail =
      parse_execution_detail(Json{{"transcript", transcript}, {"extracted_data", {{"blob", blob}}}}.dump());
  ASSERT_TRUE(detail.ok());
  EXPECT_TRUE(detail->transcript_truncated);
  EXPECT_EQ(detail->transcript_bytes, static_cast<std::int64_t>(transcript.size()));
  EXPECT_EQ(detail->transcript, std::string(kMaxTranscriptBytes - 1, 'a'));
  EXPECT_TRUE(Json::parse(detail->extracted_data_json).contains("_truncated_bytes"));
}

}  // namespace
}  // namespace tenantsync::upstream::bolna
