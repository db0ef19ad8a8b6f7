#include "core/run_types.hpp"

#include <gtest/gtest.h>

namespace tenantsync::core {
namespace {

// Every value survives the trip through its string, and the strings are the stored ones.
template <class E, class Parse>
void expect_round_trip(std::initializer_list<std::pair<E, const char*>> cases, Parse parse) {
  for (const auto& [value, text] : cases) {
    EXPECT_EQ(to_string(value), text);
    EXPECT_EQ(parse(text), value) << text;
  }
}

TEST(RunTypesTest, StatesAndTriggersRoundTripThroughTheirStoredNames) {
  expect_round_trip<RunState>({{RunState::queued, "queued"},
                               {RunState::running, "running"},
                               {RunState::succeeded, "succeeded"},
                               {RunState::failed, "failed"},
                               {RunState::held, "held"},
                               {RunState::cancelled, "cancelled"}},
                              parse_run_state);
  expect_round_trip<RunTrigger>({{RunTrigger::manual, "manual"},
                                 {RunTrigger::key_change, "key_change"},
                                 {RunTrigger::login, "login"},
                                 {RunTrigger::crm_connect, "crm_connect"},
                                 {RunTrigger::schedule, "schedule"},
                                 {RunTrigger::cron, "cron"},
                                 {RunTrigger::confirm, "confirm"}},
                                parse_run_trigger);
  expect_round_trip<ConnectionState>({{ConnectionState::connected, "connected"},
                                      {ConnectionState::syncing, "syncing"},
                                      {ConnectionState::needs_reauth, "needs_reauth"},
                                      {ConnectionState::error, "error"},
                                      {ConnectionState::rate_limited, "rate_limited"}},
                                     parse_connection_state);
  expect_round_trip<CrmProvider>({{CrmProvider::hubspot, "hubspot"}, {CrmProvider::salesforce, "salesforce"}},
                                 parse_crm_provider);
  expect_round_trip<CrmAuthKind>({{CrmAuthKind::nango, "nango"},
                                  {CrmAuthKind::access_token, "access_token"},
                                  {CrmAuthKind::refresh_token, "refresh_token"}},
                                 parse_crm_auth_kind);
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
  for (const char* bad : {"", "crm:", "crm:0", "crm:-1", "crm:1x", "crm: 1", "Voice", "crm:99999999999999999999"})
    EXPECT_EQ(RunTarget::parse(bad), std::nullopt) << bad;
}

}  // namespace
}  // namespace tenantsync::core
