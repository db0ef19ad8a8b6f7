#include "core/run_types.hpp"

#include <gtest/gtest.h>

namespace tenantsync::core {
namespace {

// Every value survives the trip through its string, and the strings are the stored ones: `names`
// lists them in the enum's declaration order, from its first enumerator to its last.
template <class E, class Parse>
void expect_round_trip(E last, std::initializer_list<const char*> names, Parse parse) {
  ASSERT_EQ(names.size(), static_cast<std::size_t>(last) + 1) << "one name per enumerator";
  int index = 0;
  for (const char* text : names) {
    const auto value = static_cast<E>(index++);
    EXPECT_EQ(to_string(value), text);
    EXPECT_EQ(parse(text), value) << text;
  }
}

TEST(RunTypesTest, StatesAndTriggersRoundTripThroughTheirStoredNames) {
  expect_round_trip(RunState::cancelled, {"queued", "running", "succeeded", "failed", "held", "cancelled"},
                    parse_run_state);
  expect_round_trip(RunTrigger::confirm,
                    {"manual", "key_change", "login", "crm_connect", "schedule", "cron", "confirm"},
                    parse_run_trigger);
  expect_round_trip(ConnectionState::rate_limited,
                    {"connected", "syncing", "needs_reauth", "error", "rate_limited"},
                    parse_connection_state);
  expect_round_trip(CrmProvider::salesforce, {"hubspot", "salesforce"}, parse_crm_provider);
  expect_round_trip(CrmAuthKind::refresh_token, {"nango", "access_token", "refresh_token"},
                    parse_crm_auth_kind);
  // The enumerators by name, so a reordered enum cannot pass with shifted names.
  EXPECT_EQ(to_string(RunState::held), "held");
  EXPECT_EQ(to_string(RunTrigger::crm_connect), "crm_connect");
  EXPECT_EQ(to_string(ConnectionState::needs_reauth), "needs_reauth");
  EXPECT_EQ(to_string(CrmAuthKind::access_token), "access_token");
}

TEST(RunTypesTest, ParsersRefuseAnythingElse) {
  EXPECT_EQ(parse_run_state("Queued"), std::nullopt);
  EXPECT_EQ(parse_run_state(""), std::nullopt);
  EXPECT_EQ(parse_run_trigger("manual "), std::nullopt);
  EXPECT_EQ(parse_connection_state("ok"), std::nullopt);
  EXPECT_EQ(parse_crm_provider("pipedrive"), std::nullopt);
  EXPECT_EQ(parse_crm_auth_kind("password"), std::nullopt);
}

TEST(RunTypesTest, OnlyQueuedAndRunningAreNotTerminal) {
  EXPECT_FALSE(is_terminal(RunState::queued));
  EXPECT_FALSE(is_terminal(RunState::running));
  for (RunState s : {RunState::succeeded, RunState::failed, RunState::held, RunState::cancelled})
    EXPECT_TRUE(is_terminal(s)) << to_string(s);
}

TEST(RunTypesTest, TargetsParseOnceAndPrintAsStored) {
  EXPECT_EQ(RunTarget::voice().to_string(), "voice");
  EXPECT_EQ(RunTarget::crm(ConnectionId(12)).to_string(), "crm:12");
  auto crm = RunTarget::parse("crm:12");
  ASSERT_TRUE(crm.has_value());
  EXPECT_TRUE(crm->is_crm());
  EXPECT_EQ(crm->connection(), ConnectionId(12));
  EXPECT_TRUE(RunTarget::parse("voice")->is_voice());
  for (const char* bad :
       {"", "crm:", "crm:0", "crm:-1", "crm:1x", "crm: 1", "Voice", "crm:99999999999999999999"})
    EXPECT_EQ(RunTarget::parse(bad), std::nullopt) << bad;
}

}  // namespace
}  // namespace tenantsync::core
