// The Store suite, the change feed and outbound webhooks: the entries the database's triggers
// write for leads, the mirror and runs (and the writes that write none), paging and filters,
// pruning; endpoints, fan-out, the endpoint lease, attempts and redelivery, tenant scoping.
// Runs on SQLite (tenantsync_unittest) and PostgreSQL (tenantsync_pgtest).
#include <string>
#include <vector>

#include "support/store_suite.hpp"

namespace tenantsync::store::test {
namespace {

using core::Resource;
using std::chrono::milliseconds;

constexpr std::int64_t kNow = 1'700'000'000'000;
constexpr std::int64_t kMinute = 60'000;

TenantId make_tenant(Store& store, const std::string& name) {
  auto created = store.create_tenant_with_user(name, name + "@example.test", "hash", at(kNow));
  EXPECT_TRUE(created.ok()) << created.error().message;
  return created.ok() ? created->first.id : TenantId{0};
}

core::UpstreamRecord agent(const std::string& id, const std::string& hash) {
  core::UpstreamRecord r;
  r.upstream_id = id;
  r.name = id;
  r.status = "processed";
  r.fields_json = "{}";
  r.raw_json = "{}";
  r.content_hash = hash;
  return r;
}

std::vector<std::string> types_of(const std::vector<Change>& changes) {
  std::vector<std::string> out;
  for (const auto& c : changes) out.push_back(c.type);
  return out;
}

std::vector<Change> feed_of(Store& store, TenantId tenant, ChangeQuery query = {}) {
  query.limit = 1000;
  auto listed = store.list_changes(tenant, query);
  EXPECT_TRUE(listed.ok()) << listed.error().message;
  return listed.ok() ? *listed : std::vector<Change>{};
}

RunId voice_run(Store& store, TenantId tenant) {
  auto ticket = store.request_run(tenant, core::RunTarget::voice(), core::RunTrigger::manual, true,
                                  std::chrono::minutes(10), at(kNow), 0);
  EXPECT_TRUE(ticket.ok()) << ticket.error().message;
  return ticket.ok() ? ticket->run.id : RunId{0};
}

Status apply(Store& store, TenantId tenant, RunId run, core::ResourcePlan plan, std::int64_t now) {
  plan.resource = Resource::agents;
  return store.apply_voice_plans(tenant, run, {plan}, {}, {}, RunOutcome{}, std::nullopt, at(now));
}

TEST_P(StoreSuite, TheFeedRecordsEveryAppliedChangeInOrder) {
  const TenantId t = make_tenant(*store_, "feed");
  const TenantId other = make_tenant(*store_, "other");
  Lead manual;
  manual.name = "Ann";
  auto lead = store_->create_lead(t, manual, at(kNow));
  ASSERT_TRUE(lead.ok()) << lead.error().message;

  // Each apply ends its run in the same transaction: a run.finished entry first, then the rows'.
  const RunId run = voice_run(*store_, t);
  core::ResourcePlan create;
  create.creates = {agent("ag-1", "h1"), agent("ag-2", "h2")};
  ASSERT_TRUE(apply(*store_, t, run, create, kNow + 1).ok());
  auto mirror = store_->load_mirror(t, Resource::agents);
  ASSERT_TRUE(mirror.ok());
  ASSERT_EQ(mirror->size(), 2u);
  const bool in_order = mirror->at(0).upstream_id == "ag-1";
  const MirrorRowId first = mirror->at(in_order ? 0 : 1).id;
  const MirrorRowId second = mirror->at(in_order ? 1 : 0).id;
  // An update whose content is the same (a sync that saw the row again) is no change.
  core::ResourcePlan same;
  same.updates = {core::PlannedUpdate{first, agent("ag-1", "h1")}};
  ASSERT_TRUE(apply(*store_, t, voice_run(*store_, t), same, kNow + 2).ok());
  core::ResourcePlan changed;
  changed.updates = {core::PlannedUpdate{first, agent("ag-1", "h1b")}};
  changed.archives = {core::PlannedArchive{second, "ag-2", "ag-2", "removed_upstream"}};
  ASSERT_TRUE(apply(*store_, t, voice_run(*store_, t), changed, kNow + 3).ok());
  auto restored = store_->restore_mirror_item(t, Resource::agents, second, at(kNow + 4));
  ASSERT_TRUE(restored.ok()) << restored.error().message;

  const auto feed = feed_of(*store_, t);
  EXPECT_EQ(types_of(feed), (std::vector<std::string>{"lead.created", "run.finished", "agent.created",
                                                      "agent.created", "run.finished", "run.finished",
                                                      "agent.updated", "agent.archived", "agent.restored"}));
  for (std::size_t i = 1; i < feed.size(); ++i) EXPECT_LT(feed[i - 1].seq, feed[i].seq);
  EXPECT_EQ(feed[0].object_kind, "lead");
  EXPECT_EQ(feed[0].object_id, lead->id.value());
  EXPECT_EQ(feed[0].detail, "manual");
  EXPECT_EQ(feed[1].object_kind, "run");
  EXPECT_EQ(feed[1].object_id, run.value());
  EXPECT_EQ(feed[1].upstream_id, "voice");
  EXPECT_EQ(feed[1].detail, "succeeded");
  EXPECT_EQ(feed[6].object_id, first.value());
  EXPECT_EQ(feed[6].upstream_id, "ag-1");
  EXPECT_EQ(feed[6].occurred_at_ms, kNow + 3);
  EXPECT_EQ(feed[8].object_id, second.value());

  // Another tenant's feed is its own.
  EXPECT_TRUE(feed_of(*store_, other).empty());
  auto latest = store_->latest_change_seq(t);
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(*latest, feed.back().seq);
  EXPECT_EQ(*store_->latest_change_seq(other), 0);

  // Paging from any cursor, and filters by type and kind.
  ChangeQuery after;
  after.after_seq = feed[2].seq;
  EXPECT_EQ(feed_of(*store_, t, after).size(), 6u);
  ChangeQuery filtered;
  filtered.types = {"lead.created", "agent.archived"};
  filtered.kinds = {"run"};
  EXPECT_EQ(types_of(feed_of(*store_, t, filtered)),
            (std::vector<std::string>{"lead.created", "run.finished", "run.finished", "run.finished",
                                      "agent.archived"}));

  // Pruning removes what is older than the retention, and seqs are never used again.
  auto pruned = store_->prune_changes(at(kNow + 3));
  ASSERT_TRUE(pruned.ok()) << pruned.error().message;
  EXPECT_EQ(*pruned, 5);
  Lead again;
  again.name = "Bob";
  ASSERT_TRUE(store_->create_lead(t, again, at(kNow + 6)).ok());
  const auto rest = feed_of(*store_, t);
  ASSERT_EQ(rest.size(), 5u);
  EXPECT_GT(rest.back().seq, feed.back().seq);
}

// A HubSpot connection of tenant `t`, as the lead tests below write through.
CrmConnection hubspot_connection(TenantId t) {
  CrmConnection c;
  c.tenant_id = t;
  c.provider = core::CrmProvider::hubspot;
  c.provider_account_id = "portal";
  c.auth_kind = core::CrmAuthKind::access_token;
  c.credentials_cipher = "x";
  return c;
}

TEST_P(StoreSuite, LeadChangesAreEntriesOnlyWhenAFieldChanged) {
  const TenantId t = make_tenant(*store_, "leads");
  auto connection = store_->upsert_crm_connection(hubspot_connection(t), at(kNow));
  ASSERT_TRUE(connection.ok()) << connection.error().message;
  LeadWrite w;
  w.lead.source = "crm";
  w.lead.name = "Cy";
  w.lead.crm_provider = "hubspot";
  w.lead.crm_id = "c-1";
  w.lead.match_reason = "new";
  auto created = store_->apply_lead_batch(t, connection->id, {w}, "{}", std::nullopt, at(kNow));
  ASSERT_TRUE(created.ok()) << created.error().message;
  w.lead.id = created->ids.at(0);
  w.lead.match_reason = "crm_id";
  ASSERT_TRUE(store_->apply_lead_batch(t, connection->id, {w}, "{}", std::nullopt, at(kNow + 1)).ok());
  w.lead.crm_status = "won";
  ASSERT_TRUE(store_->apply_lead_batch(t, connection->id, {w}, "{}", std::nullopt, at(kNow + 2)).ok());
  w.lead.crm_archived_at_ms = kNow + 3;
  ASSERT_TRUE(store_->apply_lead_batch(t, connection->id, {w}, "{}", std::nullopt, at(kNow + 3)).ok());
  w.lead.crm_archived_at_ms.reset();
  ASSERT_TRUE(store_->apply_lead_batch(t, connection->id, {w}, "{}", std::nullopt, at(kNow + 4)).ok());
  const auto feed = feed_of(*store_, t);
  EXPECT_EQ(types_of(feed),
            (std::vector<std::string>{"lead.created", "lead.updated", "lead.archived", "lead.restored"}));
  EXPECT_EQ(feed[1].upstream_id, "c-1");
  EXPECT_EQ(feed[1].detail, "crm");
}

TEST_P(StoreSuite, AnArchiveThatIsAMergeIsOneLeadMergedEntryNamingTheSurvivor) {
  const TenantId t = make_tenant(*store_, "merges");
  auto connection = store_->upsert_crm_connection(hubspot_connection(t), at(kNow));
  ASSERT_TRUE(connection.ok()) << connection.error().message;
  LeadWrite w;
  w.lead.source = "crm";
  w.lead.name = "Dee";
  w.lead.crm_provider = "hubspot";
  w.lead.crm_id = "c-merged";
  w.lead.match_reason = "new";
  auto created = store_->apply_lead_batch(t, connection->id, {w}, "{}", std::nullopt, at(kNow));
  ASSERT_TRUE(created.ok()) << created.error().message;
  w.lead.id = created->ids.at(0);
  w.lead.crm_archived_at_ms = kNow + 1;
  w.merged_into = "c-survivor";
  ASSERT_TRUE(store_->apply_lead_batch(t, connection->id, {w}, "{}", std::nullopt, at(kNow + 1)).ok());
  // Seen again (a repeated event): already archived, nothing more is told.
  ASSERT_TRUE(store_->apply_lead_batch(t, connection->id, {w}, "{}", std::nullopt, at(kNow + 2)).ok());
  const auto feed = feed_of(*store_, t);
  EXPECT_EQ(types_of(feed), (std::vector<std::string>{"lead.created", "lead.merged"}));
  EXPECT_EQ(feed[1].upstream_id, "c-merged");
  EXPECT_EQ(feed[1].detail, "c-survivor");
  EXPECT_EQ(feed[1].object_id, w.lead.id.value());
}

WebhookEndpoint endpoint_of(TenantId t, const std::string& url) {
  WebhookEndpoint e;
  e.tenant_id = t;
  e.url = url;
  e.events = "*";
  e.secret_cipher = "sealed";
  return e;
}

std::vector<NewDelivery> deliveries_for(const std::vector<Change>& changes) {
  std::vector<NewDelivery> out;
  for (const auto& c : changes) out.push_back({c.seq, "dlv_" + std::to_string(c.seq), c.type, "{}"});
  return out;
}

TEST_P(StoreSuite, WebhooksAreATenantsOwnAndStartAtTheEndOfTheFeed) {
  const TenantId t = make_tenant(*store_, "hooks");
  const TenantId other = make_tenant(*store_, "other");
  Lead before;
  before.name = "Before";
  ASSERT_TRUE(store_->create_lead(t, before, at(kNow)).ok());
  auto created = store_->create_webhook(endpoint_of(t, "https://a.example/hook"), at(kNow));
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(created->enqueued_seq, *store_->latest_change_seq(t));
  EXPECT_EQ(created->events, "*");
  EXPECT_TRUE(created->active);

  EXPECT_EQ(store_->list_webhooks(t)->size(), 1u);
  EXPECT_TRUE(store_->list_webhooks(other)->empty());
  EXPECT_FALSE(store_->find_webhook(other, created->id)->has_value());
  WebhookEndpoint stolen = *created;
  stolen.tenant_id = other;
  EXPECT_TRUE(store_->update_webhook(stolen, at(kNow)).error().is(core::ErrorCode::not_found));
  EXPECT_TRUE(store_->delete_webhook(other, created->id).error().is(core::ErrorCode::not_found));

  // Nothing to fan out until the tenant's feed moves.
  EXPECT_TRUE(store_->endpoints_behind_feed(10)->empty());
  Lead after;
  after.name = "After";
  ASSERT_TRUE(store_->create_lead(t, after, at(kNow + 1)).ok());
  Lead others;
  others.name = "Other";
  ASSERT_TRUE(store_->create_lead(other, others, at(kNow + 1)).ok());
  auto behind = store_->endpoints_behind_feed(10);
  ASSERT_TRUE(behind.ok()) << behind.error().message;
  ASSERT_EQ(behind->size(), 1u);
  EXPECT_EQ(behind->front().id, created->id);

  WebhookEndpoint changed = *created;
  changed.url = "https://b.example/hook";
  changed.active = false;
  auto updated = store_->update_webhook(changed, at(kNow + 2));
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(updated->url, "https://b.example/hook");
  EXPECT_FALSE(updated->active);
  EXPECT_TRUE(store_->endpoints_behind_feed(10)->empty()) << "an inactive endpoint gets nothing";
  ASSERT_TRUE(store_->delete_webhook(t, created->id).ok());
  EXPECT_TRUE(store_->list_webhooks(t)->empty());
}

TEST_P(StoreSuite, DeliveriesGoOutInOrderUnderOneLeaseAndCanBeRedelivered) {
  const TenantId t = make_tenant(*store_, "deliveries");
  auto hook = store_->create_webhook(endpoint_of(t, "https://a.example/hook"), at(kNow));
  ASSERT_TRUE(hook.ok()) << hook.error().message;
  for (const char* name : {"A", "B", "C"}) {
    Lead l;
    l.name = name;
    ASSERT_TRUE(store_->create_lead(t, l, at(kNow)).ok());
  }
  ChangeQuery q;
  q.after_seq = hook->enqueued_seq;
  const auto changes = feed_of(*store_, t, q);
  ASSERT_EQ(changes.size(), 3u);
  const TimePoint retry_until = at(kNow + 60 * kMinute);
  ASSERT_TRUE(
      store_->enqueue_deliveries(hook->id, deliveries_for(changes), changes.back().seq, retry_until, at(kNow))
          .ok());
  // Enqueuing again (another instance's fan-out) adds nothing.
  ASSERT_TRUE(
      store_->enqueue_deliveries(hook->id, deliveries_for(changes), changes.back().seq, retry_until, at(kNow))
          .ok());
  EXPECT_TRUE(store_->endpoints_behind_feed(10)->empty());

  auto claimed = store_->claim_webhook("i1", milliseconds(30'000), at(kNow));
  ASSERT_TRUE(claimed.ok()) << claimed.error().message;
  ASSERT_TRUE(claimed->has_value());
  EXPECT_FALSE(store_->claim_webhook("i2", milliseconds(30'000), at(kNow))->has_value())
      << "one lease at a time";
  auto pending = store_->pending_deliveries(hook->id, 10);
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 3u);
  EXPECT_EQ(pending->at(0).change_seq, changes[0].seq);
  EXPECT_EQ(pending->at(2).change_seq, changes[2].seq);

  AttemptOutcome ok;
  ok.state = DeliveryState::succeeded;
  ok.status = 200;
  ok.next_attempt_at = at(kNow);
  ASSERT_TRUE(
      store_->record_attempts(hook->id, "i1", {{pending->at(0).id, ok}}, milliseconds(30'000), at(kNow))
          .ok());
  AttemptOutcome retry;
  retry.status = 500;
  retry.error = "the receiver answered 500";
  retry.next_attempt_at = at(kNow + kMinute);
  ASSERT_TRUE(
      store_->record_attempts(hook->id, "i1", {{pending->at(1).id, retry}}, milliseconds(30'000), at(kNow))
          .ok());
  EXPECT_TRUE(
      store_->record_attempts(hook->id, "i2", {{pending->at(1).id, retry}}, milliseconds(30'000), at(kNow))
          .error()
          .is(core::ErrorCode::conflict))
      << "only the lease's owner records";
  ASSERT_TRUE(store_->release_webhook(hook->id, "i1", at(kNow)).ok());

  // The head (seq 2) waits for its retry, and the delivery behind it waits with it.
  EXPECT_FALSE(store_->claim_webhook("i2", milliseconds(30'000), at(kNow + 1))->has_value());
  auto later = store_->claim_webhook("i2", milliseconds(30'000), at(kNow + kMinute));
  ASSERT_TRUE(later.ok());
  ASSERT_TRUE(later->has_value());
  auto rest = store_->pending_deliveries(hook->id, 10);
  ASSERT_EQ(rest->size(), 2u);
  EXPECT_EQ(rest->at(0).attempts, 1);
  EXPECT_EQ(rest->at(0).last_status, 500);
  EXPECT_EQ(rest->at(0).last_error, "the receiver answered 500");
  ASSERT_TRUE(store_->release_webhook(hook->id, "i2", at(kNow + kMinute)).ok());

  // The log: newest first, the tenant's only; a redelivery makes a delivery pending and due again.
  auto log = store_->list_deliveries(t, hook->id, 10, std::nullopt);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 3u);
  EXPECT_EQ(log->back().state, DeliveryState::succeeded);
  EXPECT_TRUE(log->back().delivered_at_ms.has_value());
  EXPECT_EQ(log->back().delivery_key, "dlv_" + std::to_string(changes[0].seq));
  EXPECT_EQ(store_->list_deliveries(t, hook->id, 10, log->at(1).id)->size(), 1u);
  const TenantId other = make_tenant(*store_, "other");
  EXPECT_TRUE(store_->list_deliveries(other, hook->id, 10, std::nullopt)->empty());
  EXPECT_TRUE(store_->redeliver(other, hook->id, log->back().id, retry_until, at(kNow))
                  .error()
                  .is(core::ErrorCode::not_found));
  auto again = store_->redeliver(t, hook->id, log->back().id, retry_until, at(kNow + 2 * kMinute));
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->state, DeliveryState::pending);
  EXPECT_EQ(again->attempts, 0);
  auto head = store_->pending_deliveries(hook->id, 1);
  ASSERT_EQ(head->size(), 1u);
  EXPECT_EQ(head->front().change_seq, changes[0].seq);

  // Pruning keeps pending deliveries.
  ASSERT_TRUE(store_->prune_changes(at(kNow + 10 * kMinute)).ok());
  EXPECT_EQ(store_->pending_deliveries(hook->id, 10)->size(), 3u);
}

}  // namespace
}  // namespace tenantsync::store::test
