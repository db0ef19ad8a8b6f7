// The Store suite, the call log and the lead browser: executions' derived columns, filters,
// search and paging, the detail cache, statistics and per-day aggregates, lead filters, sorts and
// lineage. Runs on SQLite (tenantsync_unittest) and PostgreSQL (tenantsync_pgtest).
#include <string>
#include <vector>

#include "support/store_suite.hpp"

namespace tenantsync::store::test {
namespace {

using core::Resource;

constexpr std::int64_t kNow = 1'700'000'000'000;  // 2023-11-14T22:13:20Z
constexpr std::int64_t kDay = 86'400'000;
constexpr std::int64_t kMinute = 60'000;

TenantId make_tenant(Store& store, const std::string& name) {
  auto created = store.create_tenant_with_user(name, name + "@example.test", "hash", at(kNow));
  EXPECT_TRUE(created.ok()) << created.error().message;
  return created.ok() ? created->first.id : TenantId{0};
}

core::UpstreamRecord agent(const std::string& id, const std::string& name) {
  core::UpstreamRecord r;
  r.upstream_id = id;
  r.name = name;
  r.status = "processed";
  r.created_at_ms = kNow - 10 * kDay;
  r.fields_json = R"({"agent_name":")" + name + R"("})";
  r.raw_json = "{}";
  r.content_hash = "h-" + id;
  return r;
}

core::UpstreamRecord campaign(const std::string& id, const std::string& agent_id) {
  core::UpstreamRecord r = agent(id, id + ".csv");
  r.agent_id = agent_id;
  r.batch_id = id;
  r.status = "running";
  r.fields_json = R"({"total_contacts":4})";
  return r;
}

core::UpstreamRecord call(const std::string& id, const std::string& agent_id, std::int64_t created_at_ms,
                          const std::string& status, const std::string& to, double duration, double cost,
                          const std::string& batch_id = "") {
  core::UpstreamRecord r;
  r.upstream_id = id;
  r.name = id;
  r.status = status;
  r.agent_id = agent_id;
  r.batch_id = batch_id;
  r.created_at_ms = created_at_ms;
  r.updated_at_ms = created_at_ms;
  r.fields_json = R"({"call_type":"outbound","conversation_duration":)" + std::to_string(duration) +
                  R"(,"from_number":"+14155550000","status":")" + status + R"(","to_number":")" + to +
                  R"(","total_cost":)" + std::to_string(cost) + "}";
  r.raw_json = "{}";
  r.content_hash = "h-" + id + status;
  return r;
}

RunOutcome succeeded() {
  RunOutcome o;
  o.state = core::RunState::succeeded;
  o.upstream_account_id = "acc-1";
  return o;
}

RunId running_run(Store& store, TenantId tenant, core::RunTarget target = core::RunTarget::voice()) {
  auto ticket = store.request_run(tenant, target, core::RunTrigger::manual, false,
                                  std::chrono::milliseconds{10 * kMinute}, at(kNow), 0);
  EXPECT_TRUE(ticket.ok()) << ticket.error().message;
  auto claimed = store.claim_job("worker-1", std::chrono::milliseconds{kMinute}, at(kNow), 0);
  EXPECT_TRUE(claimed.ok() && claimed->has_value());
  return ticket.ok() ? ticket->run.id : RunId{0};
}

void seed(Store& store, TenantId tenant, std::vector<core::ResourcePlan> plans) {
  const RunId run = running_run(store, tenant);
  for (auto& plan : plans) plan.account_id = "acc-1";
  Status applied = store.apply_voice_plans(tenant, run, plans, {}, {}, succeeded(), std::nullopt, at(kNow));
  ASSERT_TRUE(applied.ok()) << applied.error().message;
}

core::ResourcePlan creates(Resource resource, std::vector<core::UpstreamRecord> records) {
  core::ResourcePlan plan;
  plan.resource = resource;
  plan.creates = std::move(records);
  return plan;
}

// Tenant "acme" with two agents, a campaign and five calls over three days.
class CallLog {
 public:
  explicit CallLog(Store& store) : store_(store), tenant(make_tenant(store, "acme")) {
    seed(store, tenant,
         {creates(Resource::agents, {agent("ag-1", "Sales"), agent("ag-2", "Support")}),
          creates(Resource::campaigns, {campaign("b-1", "ag-1")}),
          creates(Resource::executions,
                  {call("ex-1", "ag-1", kNow - 2 * kDay, "completed", "+1 (415) 555-2671", 60, 0.9, "b-1"),
                   call("ex-2", "ag-1", kNow - 2 * kDay + kMinute, "no-answer", "+14155552672", 0, 0, "b-1"),
                   call("ex-3", "ag-1", kNow - kDay, "completed", "+14155552671", 120, 1.8),
                   call("ex-4", "ag-2", kNow - 30 * kMinute, "completed", "not a number", 30, 0.3),
                   call("ex-5", "ag-2", kNow - 10 * kMinute, "failed", "+14155552673", 0, 0.1)})});
  }

  CallPage list(CallQuery q) {
    auto page = store_.list_calls(tenant, q);
    EXPECT_TRUE(page.ok()) << page.error().message;
    return page.ok() ? *page : CallPage{};
  }
  std::vector<std::string> ids(CallQuery q) {
    std::vector<std::string> out;
    for (const auto& c : list(std::move(q)).items) out.push_back(c.item.upstream_id);
    return out;
  }
  MirrorRowId row_of(const std::string& upstream_id) {
    for (const auto& c : list(CallQuery{}).items)
      if (c.item.upstream_id == upstream_id) return c.item.id;
    ADD_FAILURE() << "no call " << upstream_id;
    return MirrorRowId{0};
  }

  Store& store_;
  TenantId tenant;
};

TEST_P(StoreSuite, CallsCarryTheirNumbersDurationCostAndAgent) {
  CallLog log(*store_);
  const CallPage page = log.list({});
  ASSERT_EQ(page.items.size(), 5u);
  const CallRow& first = page.items.back();  // oldest last
  EXPECT_EQ(first.item.upstream_id, "ex-1");
  EXPECT_EQ(first.to_e164, "+14155552671");  // normalized from "+1 (415) 555-2671"
  EXPECT_EQ(first.from_e164, "+14155550000");
  ASSERT_TRUE(first.duration_s && first.cost);
  EXPECT_DOUBLE_EQ(*first.duration_s, 60.0);
  EXPECT_NEAR(*first.cost, 0.9, 1e-9);
  EXPECT_EQ(first.agent_name, "Sales");
  EXPECT_TRUE(first.agent_row.has_value());
  EXPECT_EQ(first.campaign_name, "b-1.csv");
  EXPECT_EQ(page.items[1].to_e164, "");  // "not a number"
}

TEST_P(StoreSuite, CallsAreFilteredSearchedAndPagedNewestFirst) {
  CallLog log(*store_);
  EXPECT_EQ(log.ids({}), (std::vector<std::string>{"ex-5", "ex-4", "ex-3", "ex-2", "ex-1"}));
  CallQuery by_agent;
  by_agent.agent_id = "ag-2";
  EXPECT_EQ(log.ids(by_agent), (std::vector<std::string>{"ex-5", "ex-4"}));
  CallQuery by_status;
  by_status.status = "completed";
  EXPECT_EQ(log.ids(by_status), (std::vector<std::string>{"ex-4", "ex-3", "ex-1"}));
  CallQuery by_batch;
  by_batch.batch_id = "b-1";
  EXPECT_EQ(log.ids(by_batch), (std::vector<std::string>{"ex-2", "ex-1"}));
  CallQuery by_time;
  by_time.from_ms = kNow - kDay - 1;
  by_time.to_ms = kNow - 10 * kMinute;  // exclusive
  EXPECT_EQ(log.ids(by_time), (std::vector<std::string>{"ex-4", "ex-3"}));
  CallQuery by_number;
  by_number.number_e164 = "+14155552671";
  EXPECT_EQ(log.ids(by_number), (std::vector<std::string>{"ex-3", "ex-1"}));
  CallQuery by_text;
  by_text.q = "EX-2";
  EXPECT_EQ(log.ids(by_text), (std::vector<std::string>{"ex-2"}));
  CallQuery by_digits;
  by_digits.q = "5552673";
  EXPECT_EQ(log.ids(by_digits), (std::vector<std::string>{"ex-5"}));
  CallQuery by_e164;
  by_e164.q = "(415) 555 2672";  // matches nothing as text; the caller's E.164 reading does
  by_e164.q_e164 = "+14155552672";
  EXPECT_EQ(log.ids(by_e164), (std::vector<std::string>{"ex-2"}));
  CallQuery wildcard;
  wildcard.q = "%";
  EXPECT_TRUE(log.ids(wildcard).empty());

  CallQuery paged;
  paged.limit = 2;
  std::vector<std::string> seen;
  for (int pages = 0; pages < 5; ++pages) {
    const CallPage page = log.list(paged);
    for (const auto& c : page.items) seen.push_back(c.item.upstream_id);
    if (!page.next) break;
    paged.after = page.next;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"ex-5", "ex-4", "ex-3", "ex-2", "ex-1"}));
}

TEST_P(StoreSuite, CallsAndTheirDetailsAreTenantScoped) {
  CallLog log(*store_);
  const TenantId other = make_tenant(*store_, "other");
  const MirrorRowId ex1 = log.row_of("ex-1");
  auto found = store_->find_call(other, ex1);
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(found->has_value());
  EXPECT_TRUE(store_->list_calls(other, {})->items.empty());
  CallDetail detail;
  detail.execution_id = ex1;
  detail.transcript = "theirs";
  detail.fetched_at_ms = kNow;
  EXPECT_TRUE(store_->save_call_detail(other, detail).error().is(core::ErrorCode::not_found));
  auto item = store_->find_mirror_item(other, Resource::executions, ex1);
  ASSERT_TRUE(item.ok());
  EXPECT_FALSE(item->has_value());
}

TEST_P(StoreSuite, ACallDetailIsCachedAndReplaced) {
  CallLog log(*store_);
  const MirrorRowId ex1 = log.row_of("ex-1");
  auto none = store_->find_call_detail(log.tenant, ex1);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  CallDetail detail;
  detail.execution_id = ex1;
  detail.transcript = "assistant: Hello\nuser: Hi — ça va?";
  detail.transcript_bytes = 300000;
  detail.transcript_truncated = true;
  detail.recording_url = "https://recordings.example/ex-1.mp3";
  detail.extracted_data_json = R"({"interested":true})";
  detail.cost_breakdown_json = R"({"llm":0.1})";
  detail.telephony_data_json = R"({"provider":"twilio"})";
  detail.fetched_at_ms = kNow;
  ASSERT_TRUE(store_->save_call_detail(log.tenant, detail).ok());
  auto cached = store_->find_call_detail(log.tenant, ex1);
  ASSERT_TRUE(cached.ok() && cached->has_value());
  EXPECT_EQ((*cached)->transcript, detail.transcript);
  EXPECT_EQ((*cached)->transcript_bytes, 300000);
  EXPECT_TRUE((*cached)->transcript_truncated);
  EXPECT_EQ((*cached)->recording_url, detail.recording_url);
  EXPECT_EQ((*cached)->extracted_data_json, detail.extracted_data_json);
  EXPECT_EQ((*cached)->cost_breakdown_json, detail.cost_breakdown_json);
  EXPECT_EQ((*cached)->telephony_data_json, detail.telephony_data_json);
  EXPECT_EQ((*cached)->fetched_at_ms, kNow);

  detail.transcript = "again";
  detail.transcript_truncated = false;
  ASSERT_TRUE(store_->save_call_detail(log.tenant, detail).ok());
  EXPECT_EQ((*store_->find_call_detail(log.tenant, ex1))->transcript, "again");
  EXPECT_FALSE((*store_->find_call_detail(log.tenant, ex1))->transcript_truncated);
}

TEST_P(StoreSuite, CallStatisticsAndAggregatesAreCountedInTheDatabase) {
  CallLog log(*store_);
  auto agent_stats = store_->call_stats(log.tenant, "ag-1", "");
  ASSERT_TRUE(agent_stats.ok()) << agent_stats.error().message;
  EXPECT_EQ(agent_stats->calls, 3);
  ASSERT_EQ(agent_stats->by_status.size(), 2u);
  EXPECT_EQ(agent_stats->by_status[0], (std::pair<std::string, std::int64_t>{"completed", 2}));
  EXPECT_EQ(agent_stats->by_status[1], (std::pair<std::string, std::int64_t>{"no-answer", 1}));
  EXPECT_NEAR(*agent_stats->average_duration_s, 60.0, 1e-9);  // (60 + 0 + 120) / 3
  EXPECT_NEAR(*agent_stats->average_cost, 0.9, 1e-9);
  EXPECT_NEAR(*agent_stats->total_cost, 2.7, 1e-9);
  auto batch_stats = store_->call_stats(log.tenant, "", "b-1");
  ASSERT_TRUE(batch_stats.ok());
  EXPECT_EQ(batch_stats->calls, 2);

  auto per_day = store_->calls_per_day(log.tenant, (kNow / kDay - 2) * kDay, (kNow / kDay + 1) * kDay);
  ASSERT_TRUE(per_day.ok()) << per_day.error().message;
  std::int64_t total = 0;
  for (const auto& d : *per_day) {
    EXPECT_EQ(d.day_ms % kDay, 0);
    total += d.count;
  }
  EXPECT_EQ(total, 5);
  ASSERT_FALSE(per_day->empty());
  EXPECT_EQ(per_day->front().day_ms, ((kNow - 2 * kDay) / kDay) * kDay);

  auto agents = store_->calls_per_agent(log.tenant);
  ASSERT_TRUE(agents.ok()) << agents.error().message;
  ASSERT_EQ(agents->size(), 2u);
  EXPECT_EQ((*agents)[0].agent_id, "ag-1");
  EXPECT_EQ((*agents)[0].agent_name, "Sales");
  EXPECT_EQ((*agents)[0].calls, 3);
  EXPECT_NEAR(*(*agents)[1].average_cost, 0.2, 1e-9);  // (0.3 + 0.1) / 2

  const TenantId other = make_tenant(*store_, "other");
  EXPECT_EQ(store_->call_stats(other, "ag-1", "")->calls, 0);
  EXPECT_TRUE(store_->calls_per_agent(other)->empty());
}

TEST_P(StoreSuite, LeadsAreFilteredSortedAndCountedPerDay) {
  const TenantId tenant = make_tenant(*store_, "acme");
  const auto add = [&](const std::string& name, const std::string& phone, std::int64_t at_ms) {
    Lead lead;
    lead.name = name;
    lead.phone_raw = phone;
    lead.phone_e164 = phone;
    lead.phone_valid = true;
    auto created = store_->create_lead(tenant, lead, at(at_ms));
    EXPECT_TRUE(created.ok());
    return created.ok() ? created->id : LeadId{0};
  };
  const LeadId ann = add("Ann", "+14155552671", kNow - 2 * kDay);
  const LeadId bob = add("Bob", "+14155552672", kNow - kDay);
  const auto names = [&](LeadQuery q) {
    std::vector<std::string> out;
    auto page = store_->list_leads(tenant, q);
    EXPECT_TRUE(page.ok()) << page.error().message;
    if (page.ok())
      for (const auto& l : page->items) out.push_back(l.name);
    return out;
  };
  EXPECT_EQ(names({}), (std::vector<std::string>{"Bob", "Ann"}));
  LeadQuery oldest;
  oldest.ascending = true;
  EXPECT_EQ(names(oldest), (std::vector<std::string>{"Ann", "Bob"}));
  LeadQuery paged;
  paged.ascending = true;
  paged.limit = 1;
  auto first = store_->list_leads(tenant, paged);
  ASSERT_TRUE(first.ok() && first->next);
  paged.after = first->next;
  EXPECT_EQ(names(paged), (std::vector<std::string>{"Bob"}));
  LeadQuery manual;
  manual.source = "manual";
  EXPECT_EQ(names(manual).size(), 2u);
  manual.source = "crm";
  EXPECT_TRUE(names(manual).empty());
  LeadQuery archived;
  archived.archived = true;
  EXPECT_TRUE(names(archived).empty());
  archived.archived = false;
  EXPECT_EQ(names(archived).size(), 2u);
  LeadQuery by_phone;
  by_phone.q = "(415) 555-2672";
  by_phone.q_e164 = "+14155552672";
  EXPECT_EQ(names(by_phone), (std::vector<std::string>{"Bob"}));
  LeadQuery owner;
  owner.owner = "nobody@example.test";
  EXPECT_TRUE(names(owner).empty());

  auto found = store_->find_lead(tenant, ann);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_FALSE((*found)->created_run.has_value());  // manual: no run made it
  EXPECT_NE(ann, bob);

  auto per_day = store_->leads_per_day(tenant, (kNow / kDay - 3) * kDay, (kNow / kDay + 1) * kDay);
  ASSERT_TRUE(per_day.ok()) << per_day.error().message;
  ASSERT_EQ(per_day->size(), 2u);
  EXPECT_EQ((*per_day)[0].key, "manual");
  EXPECT_EQ((*per_day)[0].count, 1);
  EXPECT_EQ((*per_day)[0].day_ms, ((kNow - 2 * kDay) / kDay) * kDay);
  EXPECT_TRUE(store_->leads_per_day(make_tenant(*store_, "other"), 0, kNow + kDay)->empty());
}

TEST_P(StoreSuite, ALeadRecordsTheRunsThatCreatedAndChangedIt) {
  const TenantId tenant = make_tenant(*store_, "acme");
  CrmConnection connection;
  connection.tenant_id = tenant;
  connection.provider = core::CrmProvider::hubspot;
  connection.provider_account_id = "portal-1";
  connection.auth_kind = core::CrmAuthKind::nango;
  auto saved = store_->upsert_crm_connection(connection, at(kNow));
  ASSERT_TRUE(saved.ok()) << saved.error().message;
  const core::RunTarget target = core::RunTarget::crm(saved->id);
  // The lease of the run that writes: its job, held by the worker that claimed it.
  auto ticket = store_->request_run(tenant, target, core::RunTrigger::manual, false,
                                    std::chrono::milliseconds{10 * kMinute}, at(kNow), 0);
  ASSERT_TRUE(ticket.ok());
  auto claimed = store_->claim_job("worker-1", std::chrono::milliseconds{kMinute}, at(kNow), 0);
  ASSERT_TRUE(claimed.ok() && claimed->has_value());
  LeadWrite create;
  create.lead.name = "Ann";
  create.lead.crm_provider = "hubspot";
  create.lead.crm_id = "c-1";
  create.lead.match_reason = "new";
  auto batch = store_->apply_lead_batch(tenant, saved->id, {create}, "",
                                        LeaseHold{(*claimed)->job_id, "worker-1"}, at(kNow));
  ASSERT_TRUE(batch.ok()) << batch.error().message;
  auto lead = store_->find_lead(tenant, batch->ids.at(0));
  ASSERT_TRUE(lead.ok() && lead->has_value());
  EXPECT_EQ((*lead)->created_run, ticket->run.id);
  EXPECT_EQ((*lead)->updated_run, ticket->run.id);
  EXPECT_EQ((*lead)->crm_connection_id, saved->id);
}

}  // namespace
}  // namespace tenantsync::store::test
