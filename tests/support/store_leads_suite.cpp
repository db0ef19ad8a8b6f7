// The shared Store suite, part two: CRM connections and leads (run on SQLite and PostgreSQL).
#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "support/store_suite.hpp"

namespace tenantsync::store::test {
namespace {

constexpr std::int64_t kNow = 1'700'000'000'000;
constexpr std::int64_t kMinute = 60'000;

CrmConnection hubspot(TenantId tenant_id, const std::string& portal, const std::string& cipher) {
  CrmConnection c;
  c.tenant_id = tenant_id;
  c.provider = core::CrmProvider::hubspot;
  c.provider_account_id = portal;
  c.auth_kind = core::CrmAuthKind::access_token;
  c.credentials_cipher = cipher;
  return c;
}

// A CRM contact as the sync writes it: a creation (id 0) unless `id` is given.
LeadWrite contact(const std::string& crm_id, const std::string& name, const std::string& phone,
                  const std::string& email, LeadId id = LeadId{0}) {
  LeadWrite w;
  w.lead.id = id;
  w.lead.source = "crm";
  w.lead.name = name;
  w.lead.email = email;
  w.lead.email_norm = email;
  w.lead.phone_raw = phone;
  w.lead.phone_e164 = phone;
  w.lead.phone_valid = !phone.empty();
  w.lead.crm_provider = "hubspot";
  w.lead.crm_id = crm_id;
  w.lead.crm_status = "open";
  w.lead.match_reason = id == LeadId{0} ? "new" : "crm_id";
  return w;
}

std::vector<LeadId> ids_of(const std::vector<core::ExistingLead>& leads) {
  std::vector<LeadId> ids;
  for (const auto& l : leads) ids.push_back(LeadId{l.id});
  return ids;
}

// A tenant ("Acme") with a HubSpot connection: where most lead tests start.
std::pair<TenantId, Result<CrmConnection>> tenant_with_hubspot(Store& store) {
  auto created = store.create_tenant_with_user("Acme", "a@acme.test", "h", at(kNow));
  EXPECT_TRUE(created.ok());
  if (!created.ok()) return {TenantId{0}, created.error()};
  const TenantId t = created->first.id;
  return {t, store.upsert_crm_connection(hubspot(t, "p", "c"), at(kNow))};
}

std::vector<std::string> names_of(const LeadPage& page) {
  std::vector<std::string> names;
  for (const Lead& l : page.items) names.push_back(l.name);
  return names;
}

// The stored lead (an empty one, with a test failure, when it is missing).
Lead stored_lead(Store& store, TenantId tenant_id, LeadId id) {
  Result<std::optional<Lead>> found = store.find_lead(tenant_id, id);
  EXPECT_TRUE(found.ok() && found->has_value()) << "lead " << id;
  return found.ok() && found->has_value() ? **found : Lead{};
}

}  // namespace

// --- sealed secrets (key rotation) ---

TEST_P(StoreSuite, SealedSecretsOfEveryTenantAreListedAndReplacedOnlyIfUnchanged) {
  Result<bool> none = store_->has_sealed_secrets();
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_FALSE(*none);
  auto acme = store_->create_tenant_with_user("Acme", "a@acme.test", "h", at(kNow));
  auto globex = store_->create_tenant_with_user("Globex", "g@globex.test", "h", at(kNow));
  ASSERT_TRUE(acme.ok());
  ASSERT_TRUE(globex.ok());
  const TenantId a = acme->first.id, g = globex->first.id;
  // Settings without a key hold no secret.
  TenantSettings empty_key;
  empty_key.tenant_id = g;
  ASSERT_TRUE(store_->put_settings(empty_key, at(kNow)).ok());
  EXPECT_FALSE(*store_->has_sealed_secrets());
  TenantSettings with_key;
  with_key.tenant_id = a;
  with_key.voice_api_key_cipher = "v1:voice-a";
  with_key.voice_key_last4 = "aaaa";
  ASSERT_TRUE(store_->put_settings(with_key, at(kNow)).ok());
  auto connection = store_->upsert_crm_connection(hubspot(g, "portal-g", "v1:crm-g"), at(kNow));
  ASSERT_TRUE(connection.ok());
  EXPECT_TRUE(*store_->has_sealed_secrets());

  Result<std::vector<SealedSecret>> secrets = store_->list_sealed_secrets();
  ASSERT_TRUE(secrets.ok()) << secrets.error().message;
  ASSERT_EQ(secrets->size(), 2u);
  const SealedSecret voice = (*secrets)[0];
  const SealedSecret crm = (*secrets)[1];
  EXPECT_EQ(voice.column, SealedColumn::voice_api_key);
  EXPECT_EQ(voice.tenant_id, a);
  EXPECT_EQ(voice.cipher, "v1:voice-a");
  EXPECT_EQ(crm.column, SealedColumn::crm_credentials);
  EXPECT_EQ(crm.tenant_id, g);
  EXPECT_EQ(crm.connection_id, connection->id);
  EXPECT_EQ(crm.cipher, "v1:crm-g");

  EXPECT_TRUE(*store_->replace_sealed_secret(voice, "v2:voice-a"));
  EXPECT_TRUE(*store_->replace_sealed_secret(crm, "v2:crm-g"));
  EXPECT_EQ(store_->get_settings(a)->voice_api_key_cipher, "v2:voice-a");
  EXPECT_EQ((*store_->find_crm_connection(g, connection->id))->credentials_cipher, "v2:crm-g");
  // A stale old value (the tenant saved a new key meanwhile) replaces nothing.
  EXPECT_FALSE(*store_->replace_sealed_secret(voice, "v3:stale"));
  EXPECT_EQ(store_->get_settings(a)->voice_api_key_cipher, "v2:voice-a");
  // The tenant is part of the key: the connection id under another tenant matches nothing.
  SealedSecret wrong_tenant = crm;
  wrong_tenant.tenant_id = a;
  wrong_tenant.cipher = "v2:crm-g";
  EXPECT_FALSE(*store_->replace_sealed_secret(wrong_tenant, "v3:x"));
}

// --- CRM connections ---

TEST_P(StoreSuite, CrmUpsertOfTheSameAccountUpdatesCredentialsAndReactivates) {
  auto created = store_->create_tenant_with_user("Acme", "a@acme.test", "h", at(kNow));
  ASSERT_TRUE(created.ok());
  const TenantId t = created->first.id;

  Result<CrmConnection> first = store_->upsert_crm_connection(hubspot(t, "portal-1", "old-cipher"), at(kNow));
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_GT(first->id.value(), 0);
  EXPECT_EQ(first->tenant_id, t);
  EXPECT_EQ(first->provider, core::CrmProvider::hubspot);
  EXPECT_EQ(first->provider_account_id, "portal-1");
  EXPECT_EQ(first->credentials_cipher, "old-cipher");
  EXPECT_TRUE(first->active);
  EXPECT_EQ(first->state, core::ConnectionState::connected);
  EXPECT_EQ(first->cursor, "");
  EXPECT_EQ(first->last_sync_at_ms, std::nullopt);
  EXPECT_EQ(first->created_at_ms, kNow);

  // The connection syncs, then breaks and is disconnected.
  CrmConnection synced = *first;
  synced.last_sync_created = 7;
  synced.state = core::ConnectionState::connected;
  ASSERT_TRUE(store_->record_crm_sync(synced, at(kNow + 1)).ok());
  ASSERT_TRUE(store_
                  ->set_crm_state(t, first->id, core::ConnectionState::needs_reauth, "token revoked",
                                  at(kNow + 2), at(kNow + 2))
                  .ok());
  ASSERT_TRUE(store_->deactivate_crm_connection(t, first->id, at(kNow + 3)).ok());

  // Connecting the same portal again is the same connection, active, with the new credentials.
  CrmConnection again = hubspot(t, "portal-1", "new-cipher");
  again.auth_kind = core::CrmAuthKind::refresh_token;
  again.instance_url = "https://api.hubapi.test";
  Result<CrmConnection> second = store_->upsert_crm_connection(again, at(kNow + 10));
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->id, first->id);
  EXPECT_EQ(second->credentials_cipher, "new-cipher");
  EXPECT_EQ(second->auth_kind, core::CrmAuthKind::refresh_token);
  EXPECT_EQ(second->instance_url, "https://api.hubapi.test");
  EXPECT_TRUE(second->active);
  EXPECT_EQ(second->state, core::ConnectionState::connected);
  EXPECT_EQ(second->state_message, "");
  EXPECT_EQ(second->rate_limited_until_ms, std::nullopt);
  EXPECT_EQ(second->created_at_ms, kNow);
  EXPECT_EQ(second->updated_at_ms, kNow + 10);
  EXPECT_EQ(second->last_sync_created, 7) << "reconnecting keeps the last-sync figures";
  EXPECT_EQ(second->last_sync_at_ms, kNow + 1);

  // Another portal is another connection; the list is oldest first.
  Result<CrmConnection> other = store_->upsert_crm_connection(hubspot(t, "portal-2", "c2"), at(kNow + 20));
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->id, first->id);
  Result<std::vector<CrmConnection>> all = store_->list_crm_connections(t);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].id, first->id);
  EXPECT_EQ((*all)[1].id, other->id);
}

TEST_P(StoreSuite, CrmUpsertForAnUnknownTenantIsNotFound) {
  Result<CrmConnection> c = store_->upsert_crm_connection(hubspot(TenantId{4242}, "p", "c"), at(kNow));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, core::ErrorCode::not_found);
}

TEST_P(StoreSuite, ConcurrentUpsertsOfOneAccountMakeOneConnection) {
  auto created = store_->create_tenant_with_user("Acme", "a@acme.test", "h", at(kNow));
  ASSERT_TRUE(created.ok());
  const TenantId t = created->first.id;
  std::vector<std::unique_ptr<Store>> instances;
  for (int i = 0; i < 4; ++i) instances.push_back(open_again());
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      for (int round = 0; round < 5; ++round) {
        Result<CrmConnection> c = instances[static_cast<std::size_t>(i)]->upsert_crm_connection(
            hubspot(t, "portal-1", "c" + std::to_string(i)), at(kNow + round));
        if (!c.ok()) {
          ++failures;
          ADD_FAILURE() << c.error().message;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  instances.clear();
  EXPECT_EQ(failures, 0);
  Result<std::vector<CrmConnection>> all = store_->list_crm_connections(t);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 1u);
}

TEST_P(StoreSuite, CrmStateCredentialsAndSyncResultAreWritten) {
  auto created = store_->create_tenant_with_user("Acme", "a@acme.test", "h", at(kNow));
  ASSERT_TRUE(created.ok());
  const TenantId t = created->first.id;
  Result<CrmConnection> c = store_->upsert_crm_connection(hubspot(t, "portal-1", "cipher-1"), at(kNow));
  ASSERT_TRUE(c.ok());

  ASSERT_TRUE(store_
                  ->set_crm_state(t, c->id, core::ConnectionState::rate_limited, "429 from HubSpot",
                                  at(kNow + kMinute), at(kNow + 1))
                  .ok());
  Result<std::optional<CrmConnection>> read = store_->find_crm_connection(t, c->id);
  ASSERT_TRUE(read.ok() && read->has_value());
  EXPECT_EQ((*read)->state, core::ConnectionState::rate_limited);
  EXPECT_EQ((*read)->state_message, "429 from HubSpot");
  EXPECT_EQ((*read)->rate_limited_until_ms, kNow + kMinute);
  EXPECT_EQ((*read)->updated_at_ms, kNow + 1);

  ASSERT_TRUE(store_->set_crm_credentials(t, c->id, "cipher-2", at(kNow + 2)).ok());
  read = store_->find_crm_connection(t, c->id);
  ASSERT_TRUE(read.ok() && read->has_value());
  EXPECT_EQ((*read)->credentials_cipher, "cipher-2");
  EXPECT_EQ((*read)->state, core::ConnectionState::rate_limited)
      << "credentials alone do not change the state";

  CrmConnection result = **read;
  result.last_sync_created = 3;
  result.last_sync_updated = 4;
  result.last_sync_unchanged = 5;
  result.last_sync_error = "2 contacts skipped";
  result.next_sync_at_ms = kNow + 15 * kMinute;
  result.state = core::ConnectionState::connected;
  result.state_message = "";
  result.rate_limited_until_ms = std::nullopt;
  result.last_sync_at_ms = 1;  // ignored: the store writes now
  ASSERT_TRUE(store_->record_crm_sync(result, at(kNow + 3)).ok());
  read = store_->find_crm_connection(t, c->id);
  ASSERT_TRUE(read.ok() && read->has_value());
  EXPECT_EQ((*read)->last_sync_at_ms, kNow + 3);
  EXPECT_EQ((*read)->last_sync_created, 3);
  EXPECT_EQ((*read)->last_sync_updated, 4);
  EXPECT_EQ((*read)->last_sync_unchanged, 5);
  EXPECT_EQ((*read)->last_sync_error, "2 contacts skipped");
  EXPECT_EQ((*read)->next_sync_at_ms, kNow + 15 * kMinute);
  EXPECT_EQ((*read)->state, core::ConnectionState::connected);
  EXPECT_EQ((*read)->rate_limited_until_ms, std::nullopt);
  EXPECT_EQ((*read)->credentials_cipher, "cipher-2");

  // Deactivated connections stay listed for the tenant but leave the scheduler's list.
  Result<std::vector<CrmConnection>> active = store_->list_active_crm_connections();
  ASSERT_TRUE(active.ok());
  EXPECT_EQ(active->size(), 1u);
  ASSERT_TRUE(store_->deactivate_crm_connection(t, c->id, at(kNow + 4)).ok());
  active = store_->list_active_crm_connections();
  ASSERT_TRUE(active.ok());
  EXPECT_TRUE(active->empty());
  read = store_->find_crm_connection(t, c->id);
  ASSERT_TRUE(read.ok() && read->has_value());
  EXPECT_FALSE((*read)->active);

  EXPECT_EQ(store_->deactivate_crm_connection(t, shifted(c->id, 100), at(kNow)).error().code,
            core::ErrorCode::not_found);
}

TEST_P(StoreSuite, CrmConnectionsAreTenantScoped) {
  auto a = store_->create_tenant_with_user("A", "a@a.test", "h", at(kNow));
  auto b = store_->create_tenant_with_user("B", "b@b.test", "h", at(kNow));
  ASSERT_TRUE(a.ok() && b.ok());
  const TenantId ta = a->first.id;
  const TenantId tb = b->first.id;
  Result<CrmConnection> ca =
      store_->upsert_crm_connection(hubspot(ta, "shared-portal", "a-secret"), at(kNow));
  ASSERT_TRUE(ca.ok());

  // B cannot see A's connection...
  Result<std::optional<CrmConnection>> seen = store_->find_crm_connection(tb, ca->id);
  ASSERT_TRUE(seen.ok());
  EXPECT_FALSE(seen->has_value());
  Result<std::vector<CrmConnection>> b_list = store_->list_crm_connections(tb);
  ASSERT_TRUE(b_list.ok());
  EXPECT_TRUE(b_list->empty());

  // ...nor change it.
  EXPECT_EQ(store_->deactivate_crm_connection(tb, ca->id, at(kNow + 1)).error().code,
            core::ErrorCode::not_found);
  EXPECT_EQ(store_->set_crm_state(tb, ca->id, core::ConnectionState::error, "x", std::nullopt, at(kNow + 1))
                .error()
                .code,
            core::ErrorCode::not_found);
  EXPECT_EQ(store_->set_crm_credentials(tb, ca->id, "stolen", at(kNow + 1)).error().code,
            core::ErrorCode::not_found);
  CrmConnection forged = *ca;
  forged.tenant_id = tb;
  forged.state = core::ConnectionState::error;
  EXPECT_EQ(store_->record_crm_sync(forged, at(kNow + 1)).error().code, core::ErrorCode::not_found);

  // The same CRM account connected by B is B's own connection; A's credentials are untouched.
  Result<CrmConnection> cb =
      store_->upsert_crm_connection(hubspot(tb, "shared-portal", "b-secret"), at(kNow + 2));
  ASSERT_TRUE(cb.ok());
  EXPECT_NE(cb->id, ca->id);
  EXPECT_EQ(cb->tenant_id, tb);

  Result<std::optional<CrmConnection>> a_read = store_->find_crm_connection(ta, ca->id);
  ASSERT_TRUE(a_read.ok() && a_read->has_value());
  EXPECT_EQ((*a_read)->credentials_cipher, "a-secret");
  EXPECT_TRUE((*a_read)->active);
  EXPECT_EQ((*a_read)->state, core::ConnectionState::connected);
  EXPECT_EQ((*a_read)->last_sync_at_ms, std::nullopt);

  Result<std::vector<CrmConnection>> active = store_->list_active_crm_connections();
  ASSERT_TRUE(active.ok());
  ASSERT_EQ(active->size(), 2u);
  EXPECT_EQ((*active)[0].tenant_id, ta);
  EXPECT_EQ((*active)[1].tenant_id, tb);
}

// --- leads: the CRM sync's batch lookup and page write ---

TEST_P(StoreSuite, LeadCandidatesAreFoundByEachKeyKindWithinTheTenant) {
  auto a = store_->create_tenant_with_user("A", "a@a.test", "h", at(kNow));
  auto b = store_->create_tenant_with_user("B", "b@b.test", "h", at(kNow));
  ASSERT_TRUE(a.ok() && b.ok());
  const TenantId ta = a->first.id;
  const TenantId tb = b->first.id;
  Result<CrmConnection> ca = store_->upsert_crm_connection(hubspot(ta, "p", "c"), at(kNow));
  Result<CrmConnection> cb = store_->upsert_crm_connection(hubspot(tb, "p", "c"), at(kNow));
  ASSERT_TRUE(ca.ok() && cb.ok());

  Result<LeadBatchResult> wa = store_->apply_lead_batch(
      ta, ca->id,
      {contact("c-1", "Ann", "+14155550101", "ann@a.test"), contact("c-2", "Bob", "+14155550102", ""),
       contact("c-3", "Cat", "", "cat@a.test")},
      "", std::nullopt, at(kNow));
  ASSERT_TRUE(wa.ok()) << wa.error().message;
  const std::vector<LeadId>& ids = wa->ids;
  ASSERT_EQ(ids.size(), 3u);
  // B holds the same keys; they must never show up in A's lookup.
  ASSERT_TRUE(store_
                  ->apply_lead_batch(tb, cb->id,
                                     {contact("c-1", "Ann B", "+14155550101", "ann@a.test"),
                                      contact("c-3", "Cat B", "+14155550103", "cat@a.test")},
                                     "", std::nullopt, at(kNow))
                  .ok());
  Lead manual;
  manual.name = "Walk-in";
  manual.phone_raw = "(415) 555-0199";
  manual.phone_e164 = "+14155550199";
  manual.phone_valid = true;
  Result<Lead> walk_in = store_->create_lead(ta, manual, at(kNow));
  ASSERT_TRUE(walk_in.ok());

  auto find = [&](std::vector<std::string> crm, std::vector<std::string> phones,
                  std::vector<std::string> emails, const std::string& provider = "hubspot") {
    Result<std::vector<core::ExistingLead>> r =
        store_->find_lead_candidates(ta, provider, crm, phones, emails);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : std::vector<core::ExistingLead>();
  };

  std::vector<core::ExistingLead> by_crm = find({"c-2", "c-9"}, {}, {});
  ASSERT_EQ(by_crm.size(), 1u);
  EXPECT_EQ(by_crm[0].id, ids[1].value());
  EXPECT_EQ(by_crm[0].crm_provider, "hubspot");
  EXPECT_EQ(by_crm[0].crm_id, "c-2");
  EXPECT_EQ(by_crm[0].phone_e164, "+14155550102");
  EXPECT_EQ(by_crm[0].email_norm, "");
  EXPECT_FALSE(by_crm[0].manual);
  EXPECT_TRUE(find({"c-2"}, {}, {}, "salesforce").empty()) << "CRM ids are per provider";

  EXPECT_EQ(ids_of(find({}, {"+14155550101", "+19999999999"}, {})), std::vector<LeadId>{ids[0]});
  EXPECT_EQ(ids_of(find({}, {}, {"cat@a.test"})), std::vector<LeadId>{ids[2]});

  // Keys of several kinds pointing at one lead return it once; empty keys match nothing.
  EXPECT_EQ(ids_of(find({"c-1", ""}, {"+14155550101", ""}, {"ann@a.test", ""})), std::vector<LeadId>{ids[0]});
  EXPECT_TRUE(find({""}, {""}, {""}).empty());
  EXPECT_TRUE(find({}, {}, {}).empty());

  std::vector<core::ExistingLead> walk = find({}, {"+14155550199"}, {});
  ASSERT_EQ(walk.size(), 1u);
  EXPECT_EQ(walk[0].id, walk_in->id.value());
  EXPECT_TRUE(walk[0].manual);
  EXPECT_EQ(walk[0].crm_id, "");

  std::vector<core::ExistingLead> all =
      find({"c-1", "c-2", "c-3"}, {"+14155550101", "+14155550103", "+14155550199"}, {"cat@a.test"});
  EXPECT_EQ(ids_of(all), (std::vector<LeadId>{ids[0], ids[1], ids[2], walk_in->id}));
}

// New leads go in a few multi-row INSERTs (100, 25, 5 and 1 rows): each must get the id of its
// own row, also around an update in the same page and across the statement sizes.
TEST_P(StoreSuite, ALargeLeadBatchGivesEveryNewLeadTheIdOfItsOwnRow) {
  const auto [t, c] = tenant_with_hubspot(*store_);
  ASSERT_TRUE(c.ok());
  Result<LeadBatchResult> seed =
      store_->apply_lead_batch(t, c->id, {contact("old", "Old", "", "old@a.test")}, "", std::nullopt, at(kNow));
  ASSERT_TRUE(seed.ok()) << seed.error().message;

  std::vector<LeadWrite> writes;
  for (int i = 0; i < 137; ++i) {
    if (i == 60) writes.push_back(contact("old", "Old renamed", "", "old@a.test", seed->ids[0]));
    writes.push_back(contact("c-" + std::to_string(i), "Lead " + std::to_string(i), "", ""));
  }
  Result<LeadBatchResult> batch = store_->apply_lead_batch(t, c->id, writes, "", std::nullopt, at(kNow));
  ASSERT_TRUE(batch.ok()) << batch.error().message;
  EXPECT_EQ(batch->created, 137);
  EXPECT_EQ(batch->updated, 1);
  ASSERT_EQ(batch->ids.size(), writes.size());
  std::set<LeadId> distinct(batch->ids.begin(), batch->ids.end());
  EXPECT_EQ(distinct.size(), writes.size());
  for (std::size_t i = 0; i < writes.size(); ++i) {
    Result<std::optional<Lead>> stored = store_->find_lead(t, batch->ids[i]);
    ASSERT_TRUE(stored.ok() && stored->has_value()) << i;
    EXPECT_EQ((*stored)->crm_id, writes[i].lead.crm_id) << i;
    EXPECT_EQ((*stored)->name, writes[i].lead.name) << i;
  }
}

// Whatever a CRM puts in a text field is stored and found as it is: on PostgreSQL every column
// of a batch travels as one array literal, where quotes, backslashes, braces, commas and the word
// NULL mean something.
TEST_P(StoreSuite, StoredPhonesKeepTheRegionTheirFormWasMadeIn) {
  const auto [t, c] = tenant_with_hubspot(*store_);
  ASSERT_TRUE(c.ok());
  const auto phone_of = [](LeadWrite w, const std::string& raw, const std::string& e164, const std::string& region) {
    w.lead.phone_raw = raw;
    w.lead.phone_e164 = e164;
    w.lead.phone_valid = !e164.empty();
    w.lead.phone_region = region;
    return w;
  };
  std::vector<LeadWrite> writes{phone_of(contact("c1", "Ann", "", "ann@a.test"), "(650) 253-0000", "+16502530000", "US"),
                                phone_of(contact("c2", "Bob", "", "bob@a.test"), "020 7946 0958", "+442079460958", "GB"),
                                phone_of(contact("c3", "Cy", "", "cy@a.test"), "12", "", "US"),
                                contact("c4", "Di", "", "di@a.test")};
  Result<LeadBatchResult> made = store_->apply_lead_batch(t, c->id, writes, "", std::nullopt, at(kNow));
  ASSERT_TRUE(made.ok()) << made.error().message;

  const auto stored = [&](const std::vector<std::string>& crm_ids, const std::string& provider = "hubspot") {
    Result<std::vector<StoredPhone>> found = store_->find_stored_phones(t, provider, crm_ids);
    EXPECT_TRUE(found.ok()) << found.error().message;
    std::map<std::string, std::tuple<std::string, bool, std::string>> by_raw;
    if (found.ok())
      for (const StoredPhone& p : *found) by_raw[p.raw] = {p.e164, p.valid, p.region};
    return by_raw;
  };
  using Form = std::tuple<std::string, bool, std::string>;
  // The lead without a phone and the unknown id give nothing; an invalid number is kept as it is.
  EXPECT_EQ(stored({"c1", "c2", "c3", "c4", "nobody"}),
            (std::map<std::string, Form>{{"(650) 253-0000", {"+16502530000", true, "US"}},
                                         {"020 7946 0958", {"+442079460958", true, "GB"}},
                                         {"12", {"", false, "US"}}}));
  EXPECT_TRUE(stored({"c1"}, "salesforce").empty());
  EXPECT_TRUE(stored({}).empty());

  // An update without a phone keeps the stored phone and its region; one with a phone replaces both.
  LeadWrite renamed = contact("c1", "Ann B", "", "ann@a.test", made->ids[0]);
  LeadWrite moved = phone_of(contact("c2", "Bob", "", "bob@a.test", made->ids[1]), "01 42 68 53 00", "+33142685300", "FR");
  Result<LeadBatchResult> updated =
      store_->apply_lead_batch(t, c->id, {renamed, moved}, "", std::nullopt, at(kNow + kMinute));
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(updated->updated, 2);
  EXPECT_EQ(stored({"c1", "c2"}), (std::map<std::string, Form>{{"(650) 253-0000", {"+16502530000", true, "US"}},
                                                              {"01 42 68 53 00", {"+33142685300", true, "FR"}}}));
}

TEST_P(StoreSuite, AwkwardTextIsWrittenAndLookedUpAsItIs) {
  const auto [t, c] = tenant_with_hubspot(*store_);
  ASSERT_TRUE(c.ok());
  const std::vector<std::string> names{"O\"Brien \\ {Ann}, Jr.", "NULL", "", "  spaced  ", "Zoë 🙂\ttab",
                                       "back\\slash\"", "{\"a\":1}"};
  std::vector<LeadWrite> writes;
  for (std::size_t i = 0; i < names.size(); ++i) {
    LeadWrite w = contact("id,{" + std::to_string(i) + "}\"", names[i], "", "x\"" + std::to_string(i) + "@a.test");
    w.lead.crm_description = names[i];
    w.lead.crm_owner = i % 2 == 0 ? "" : names[i];
    writes.push_back(w);
  }
  Result<LeadBatchResult> batch = store_->apply_lead_batch(t, c->id, writes, "", std::nullopt, at(kNow));
  ASSERT_TRUE(batch.ok()) << batch.error().message;
  ASSERT_EQ(batch->ids.size(), names.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    Result<std::optional<Lead>> stored = store_->find_lead(t, batch->ids[i]);
    ASSERT_TRUE(stored.ok() && stored->has_value()) << i;
    EXPECT_EQ((*stored)->name, names[i]) << i;
    EXPECT_EQ((*stored)->crm_description, names[i]) << i;
    EXPECT_EQ((*stored)->crm_owner, writes[i].lead.crm_owner) << i;
    EXPECT_EQ((*stored)->crm_id, writes[i].lead.crm_id) << i;
    EXPECT_EQ((*stored)->email_norm, writes[i].lead.email_norm) << i;
  }
  // Found again by those keys, and the same batch again changes nothing.
  Result<std::vector<core::ExistingLead>> found = store_->find_lead_candidates(
      t, "hubspot", {writes[0].lead.crm_id}, {}, {writes[1].lead.email_norm});
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_EQ(ids_of(*found), (std::vector<LeadId>{batch->ids[0], batch->ids[1]}));
  for (std::size_t i = 0; i < writes.size(); ++i) writes[i].lead.id = batch->ids[i];
  Result<LeadBatchResult> again = store_->apply_lead_batch(t, c->id, writes, "", std::nullopt, at(kNow + 1));
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->unchanged, static_cast<int>(names.size()));
  EXPECT_EQ(again->updated, 0);
}

TEST_P(StoreSuite, ConnectionLeadsAreCountedPerConnectionAndTenant) {
  auto a = store_->create_tenant_with_user("A", "a@a.test", "h", at(kNow));
  auto b = store_->create_tenant_with_user("B", "b@b.test", "h", at(kNow));
  ASSERT_TRUE(a.ok() && b.ok());
  Result<CrmConnection> ca = store_->upsert_crm_connection(hubspot(a->first.id, "p", "c"), at(kNow));
  Result<CrmConnection> cb = store_->upsert_crm_connection(hubspot(b->first.id, "p", "c"), at(kNow));
  ASSERT_TRUE(ca.ok() && cb.ok());
  ASSERT_TRUE(store_
                  ->apply_lead_batch(a->first.id, ca->id, {contact("1", "Ann", "", ""), contact("2", "Bob", "", "")},
                                     "", std::nullopt, at(kNow))
                  .ok());
  ASSERT_TRUE(
      store_->apply_lead_batch(b->first.id, cb->id, {contact("1", "Ann", "", "")}, "", std::nullopt, at(kNow)).ok());
  Lead manual;
  manual.name = "Walk-in";
  ASSERT_TRUE(store_->create_lead(a->first.id, manual, at(kNow)).ok());
  Result<std::int64_t> in_a = store_->count_connection_leads(a->first.id, ca->id);
  ASSERT_TRUE(in_a.ok()) << in_a.error().message;
  EXPECT_EQ(*in_a, 2);
  EXPECT_EQ(*store_->count_connection_leads(b->first.id, cb->id), 1);
  EXPECT_EQ(*store_->count_connection_leads(a->first.id, cb->id), 0) << "another tenant's connection";
}

TEST_P(StoreSuite, LeadBatchCountsCreatedUpdatedAndUnchanged) {
  const auto [t, c] = tenant_with_hubspot(*store_);
  ASSERT_TRUE(c.ok());

  Result<LeadBatchResult> first = store_->apply_lead_batch(
      t, c->id,
      {contact("c-1", "Ann", "+14155550101", "ann@a.test"), contact("c-2", "Bob", "+14155550102", "")}, "",
      std::nullopt, at(kNow));
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->created, 2);
  EXPECT_EQ(first->updated, 0);
  EXPECT_EQ(first->unchanged, 0);
  ASSERT_EQ(first->ids.size(), 2u);
  const LeadId ann = first->ids[0];
  const LeadId bob = first->ids[1];

  Result<std::optional<Lead>> stored = store_->find_lead(t, ann);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  const Lead& l = **stored;
  EXPECT_EQ(l.tenant_id, t);
  EXPECT_EQ(l.source, "crm");
  EXPECT_EQ(l.name, "Ann");
  EXPECT_EQ(l.email, "ann@a.test");
  EXPECT_EQ(l.phone_e164, "+14155550101");
  EXPECT_TRUE(l.phone_valid);
  EXPECT_EQ(l.crm_connection_id, c->id);
  EXPECT_EQ(l.crm_provider, "hubspot");
  EXPECT_EQ(l.crm_id, "c-1");
  EXPECT_EQ(l.crm_status, "open");
  EXPECT_EQ(l.match_reason, "new");
  EXPECT_EQ(l.created_at_ms, kNow);

  // Page two: Ann unchanged, Bob's stage moved, Cat is new; ids come back in write order.
  LeadWrite bob_moved = contact("c-2", "Bob", "+14155550102", "", bob);
  bob_moved.lead.crm_stage = "qualified";
  bob_moved.lead.crm_updated_at_ms = kNow + 5;
  Result<LeadBatchResult> second =
      store_->apply_lead_batch(t, c->id,
                               {contact("c-3", "Cat", "", "cat@a.test"),
                                contact("c-1", "Ann", "+14155550101", "ann@a.test", ann), bob_moved},
                               "", std::nullopt, at(kNow + kMinute));
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->created, 1);
  EXPECT_EQ(second->updated, 1);
  EXPECT_EQ(second->unchanged, 1);
  ASSERT_EQ(second->ids.size(), 3u);
  EXPECT_EQ(second->ids[1], ann);
  EXPECT_EQ(second->ids[2], bob);

  EXPECT_EQ(stored_lead(*store_, t, ann).updated_at_ms, kNow) << "an unchanged lead is not written";
  const Lead b = stored_lead(*store_, t, bob);
  EXPECT_EQ(b.crm_stage, "qualified");
  EXPECT_EQ(b.crm_updated_at_ms, kNow + 5);
  EXPECT_EQ(b.updated_at_ms, kNow + kMinute);
  EXPECT_EQ(b.match_reason, "new") << "the reason records how the link was made";

  // Every CRM field is overwritten, also with empty values.
  LeadWrite bob_cleared = contact("c-2", "Bob", "+14155550102", "", bob);
  bob_cleared.lead.crm_status = "";
  Result<LeadBatchResult> third =
      store_->apply_lead_batch(t, c->id, {bob_cleared}, "", std::nullopt, at(kNow + 2 * kMinute));
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->updated, 1);
  EXPECT_EQ(stored_lead(*store_, t, bob).crm_status, "");
  EXPECT_EQ(stored_lead(*store_, t, bob).crm_stage, "");
}

TEST_P(StoreSuite, AnOlderStateOfTheSameContactDoesNotOverwriteANewerOne) {
  const auto [t, c] = tenant_with_hubspot(*store_);
  ASSERT_TRUE(c.ok());
  LeadWrite ann = contact("c-1", "Ann", "+14155550101", "ann@a.test");
  ann.lead.crm_updated_at_ms = kNow;
  auto first = store_->apply_lead_batch(t, c->id, {ann}, "", std::nullopt, at(kNow));
  ASSERT_TRUE(first.ok()) << first.error().message;
  ann.lead.id = first->ids.at(0);
  // A webhook writes the contact as it is now ...
  LeadWrite newer = ann;
  newer.lead.crm_stage = "won";
  newer.lead.crm_updated_at_ms = kNow + 10;
  ASSERT_TRUE(store_->apply_lead_batch(t, c->id, {newer}, "", std::nullopt, at(kNow + 1)).ok());
  // ... then a sync page read before it lands: skipped, counted unchanged.
  LeadWrite older = ann;
  older.lead.crm_stage = "open";
  older.lead.crm_updated_at_ms = kNow + 5;
  auto late = store_->apply_lead_batch(t, c->id, {older}, "", std::nullopt, at(kNow + 2));
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(late->unchanged, 1);
  EXPECT_EQ(late->updated, 0);
  EXPECT_EQ(stored_lead(*store_, t, ann.lead.id).crm_stage, "won");
  // The same time or a newer one is written as usual.
  newer.lead.crm_stage = "lost";
  auto same_time = store_->apply_lead_batch(t, c->id, {newer}, "", std::nullopt, at(kNow + 3));
  ASSERT_TRUE(same_time.ok());
  EXPECT_EQ(same_time->updated, 1);
  EXPECT_EQ(stored_lead(*store_, t, ann.lead.id).crm_stage, "lost");
}

TEST_P(StoreSuite, AnUpdateWithoutPhoneNameOrEmailKeepsTheStoredOnes) {
  const auto [t, c] = tenant_with_hubspot(*store_);
  ASSERT_TRUE(c.ok());
  Result<LeadBatchResult> first = store_->apply_lead_batch(
      t, c->id, {contact("c-1", "Ann", "+14155550101", "ann@a.test")}, "", std::nullopt, at(kNow));
  ASSERT_TRUE(first.ok());
  const LeadId ann = first->ids.at(0);

  LeadWrite blank = contact("c-1", "", "", "", ann);
  blank.lead.crm_owner = "Olivia";
  Result<LeadBatchResult> second =
      store_->apply_lead_batch(t, c->id, {blank}, "", std::nullopt, at(kNow + 1));
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->updated, 1);
  Lead l = stored_lead(*store_, t, ann);
  EXPECT_EQ(l.name, "Ann");
  EXPECT_EQ(l.email, "ann@a.test");
  EXPECT_EQ(l.email_norm, "ann@a.test");
  EXPECT_EQ(l.phone_raw, "+14155550101");
  EXPECT_EQ(l.phone_e164, "+14155550101");
  EXPECT_TRUE(l.phone_valid);
  EXPECT_EQ(l.crm_owner, "Olivia");

  // The same blank contact again changes nothing.
  Result<LeadBatchResult> third = store_->apply_lead_batch(t, c->id, {blank}, "", std::nullopt, at(kNow + 2));
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->unchanged, 1);

  // A contact with a phone replaces it.
  LeadWrite moved = contact("c-1", "", "+14155550177", "", ann);
  moved.lead.crm_owner = "Olivia";
  ASSERT_TRUE(store_->apply_lead_batch(t, c->id, {moved}, "", std::nullopt, at(kNow + 3)).ok());
  EXPECT_EQ(stored_lead(*store_, t, ann).phone_e164, "+14155550177");
}

TEST_P(StoreSuite, LeadBatchSavesTheCursorInTheSameTransaction) {
  const auto [t, c] = tenant_with_hubspot(*store_);
  ASSERT_TRUE(c.ok());
  auto cursor_of = [&] {
    Result<std::optional<CrmConnection>> r = store_->find_crm_connection(t, c->id);
    EXPECT_TRUE(r.ok() && r->has_value());
    return r.ok() && r->has_value() ? (*r)->cursor : std::string("?");
  };
  auto count = [&] {
    Result<LeadPage> page = store_->list_leads(t, LeadQuery{});
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->items.size() : 999u;
  };

  ASSERT_TRUE(store_
                  ->apply_lead_batch(t, c->id, {contact("c-1", "Ann", "", "")}, R"({"after":"1"})",
                                     std::nullopt, at(kNow))
                  .ok());
  EXPECT_EQ(cursor_of(), R"({"after":"1"})");

  // The second contact of this page duplicates c-1: the whole page fails, the cursor stays.
  Result<LeadBatchResult> failed =
      store_->apply_lead_batch(t, c->id, {contact("c-2", "Bob", "", ""), contact("c-1", "Ann again", "", "")},
                               R"({"after":"2"})", std::nullopt, at(kNow + 1));
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, core::ErrorCode::conflict);
  EXPECT_EQ(cursor_of(), R"({"after":"1"})");
  EXPECT_EQ(count(), 1u) << "Bob's insert was rolled back";

  // An update of a lead that does not exist fails the page too.
  Result<LeadBatchResult> missing = store_->apply_lead_batch(
      t, c->id, {contact("c-2", "Bob", "", ""), contact("c-9", "X", "", "", LeadId{999'999})},
      R"({"after":"3"})", std::nullopt, at(kNow + 2));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::ErrorCode::not_found);
  EXPECT_EQ(cursor_of(), R"({"after":"1"})");
  EXPECT_EQ(count(), 1u);

  // An empty cursor leaves the saved one.
  ASSERT_TRUE(
      store_->apply_lead_batch(t, c->id, {contact("c-2", "Bob", "", "")}, "", std::nullopt, at(kNow + 3))
          .ok());
  EXPECT_EQ(cursor_of(), R"({"after":"1"})");
  EXPECT_EQ(count(), 2u);
  // A page without contacts still moves the cursor.
  ASSERT_TRUE(store_->apply_lead_batch(t, c->id, {}, R"({"after":"4"})", std::nullopt, at(kNow + 4)).ok());
  EXPECT_EQ(cursor_of(), R"({"after":"4"})");
}

TEST_P(StoreSuite, LeadBatchesAreTenantScoped) {
  auto a = store_->create_tenant_with_user("A", "a@a.test", "h", at(kNow));
  auto b = store_->create_tenant_with_user("B", "b@b.test", "h", at(kNow));
  ASSERT_TRUE(a.ok() && b.ok());
  const TenantId ta = a->first.id;
  const TenantId tb = b->first.id;
  Result<CrmConnection> ca = store_->upsert_crm_connection(hubspot(ta, "p", "c"), at(kNow));
  Result<CrmConnection> cb = store_->upsert_crm_connection(hubspot(tb, "p", "c"), at(kNow));
  ASSERT_TRUE(ca.ok() && cb.ok());
  Result<LeadBatchResult> wa = store_->apply_lead_batch(
      ta, ca->id, {contact("c-1", "Ann", "+14155550101", "")}, R"({"a":1})", std::nullopt, at(kNow));
  ASSERT_TRUE(wa.ok());
  const LeadId ann = wa->ids.at(0);

  // B writing through A's connection, or updating A's lead through its own, is refused.
  Result<LeadBatchResult> via_a = store_->apply_lead_batch(tb, ca->id, {contact("c-5", "Eve", "", "")},
                                                           R"({"b":1})", std::nullopt, at(kNow + 1));
  ASSERT_FALSE(via_a.ok());
  EXPECT_EQ(via_a.error().code, core::ErrorCode::not_found);
  Result<LeadBatchResult> steal = store_->apply_lead_batch(
      tb, cb->id, {contact("c-1", "Mallory", "", "", ann)}, R"({"b":2})", std::nullopt, at(kNow + 1));
  ASSERT_FALSE(steal.ok());
  EXPECT_EQ(steal.error().code, core::ErrorCode::not_found);

  EXPECT_EQ(stored_lead(*store_, ta, ann).name, "Ann");
  Result<std::optional<Lead>> from_b = store_->find_lead(tb, ann);
  ASSERT_TRUE(from_b.ok());
  EXPECT_FALSE(from_b->has_value());
  Result<std::optional<CrmConnection>> a_conn = store_->find_crm_connection(ta, ca->id);
  ASSERT_TRUE(a_conn.ok() && a_conn->has_value());
  EXPECT_EQ((*a_conn)->cursor, R"({"a":1})");
  Result<LeadPage> b_leads = store_->list_leads(tb, LeadQuery{});
  ASSERT_TRUE(b_leads.ok());
  EXPECT_TRUE(b_leads->items.empty());

  // The same CRM id in B is B's own lead.
  Result<LeadBatchResult> wb =
      store_->apply_lead_batch(tb, cb->id, {contact("c-1", "Ann B", "", "")}, "", std::nullopt, at(kNow));
  ASSERT_TRUE(wb.ok()) << wb.error().message;
  EXPECT_NE(wb->ids.at(0), ann);
}

// The run's job lease guards each page: a worker whose lease expired or went to another
// worker writes nothing, not even the cursor; the worker that holds it writes.
TEST_P(StoreSuite, LeadBatchWritesOnlyUnderTheRunsLease) {
  const auto [t, c] = tenant_with_hubspot(*store_);
  ASSERT_TRUE(c.ok());
  const std::chrono::milliseconds lease{kMinute};
  ASSERT_TRUE(store_
                  ->request_run(t, core::RunTarget::crm(c->id), core::RunTrigger::manual, false,
                                std::chrono::milliseconds{10 * kMinute}, at(kNow), 0)
                  .ok());
  Result<std::optional<ClaimedJob>> first = store_->claim_job("worker-1", lease, at(kNow), 0);
  ASSERT_TRUE(first.ok() && first->has_value());
  const LeaseHold held{(*first)->job_id, "worker-1"};

  auto cursor_of = [&] {
    Result<std::optional<CrmConnection>> r = store_->find_crm_connection(t, c->id);
    EXPECT_TRUE(r.ok() && r->has_value());
    return r.ok() && r->has_value() ? (*r)->cursor : std::string("?");
  };
  auto count = [&] {
    Result<LeadPage> page = store_->list_leads(t, LeadQuery{});
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->items.size() : 999u;
  };
  auto refused = [&](const std::optional<LeaseHold>& lease_hold, TimePoint when, const char* what) {
    Result<LeadBatchResult> r = store_->apply_lead_batch(t, c->id, {contact("c-9", "Late", "", "")},
                                                         R"({"after":"late"})", lease_hold, when);
    ASSERT_FALSE(r.ok()) << what;
    EXPECT_TRUE(r.error().is(core::ErrorCode::worker_lost)) << what << ": " << r.error().message;
  };

  // The holder writes while its lease runs.
  Result<LeadBatchResult> ok = store_->apply_lead_batch(t, c->id, {contact("c-1", "Ann", "", "")},
                                                        R"({"after":"1"})", held, at(kNow + 1));
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->created, 1);

  // Someone else naming the job is refused even while the lease runs.
  refused(LeaseHold{held.job_id, "worker-2"}, at(kNow + 2), "another owner");
  // Past the expiry the holder itself is refused, before any sweep.
  refused(held, at(kNow + kMinute), "expired at the instant");
  refused(held, at(kNow + 2 * kMinute), "expired");
  EXPECT_EQ(count(), 1u);
  EXPECT_EQ(cursor_of(), R"({"after":"1"})");

  // The sweep requeues the run and worker-2 claims it: worker-1's old hold stays refused, and
  // so does worker-1 naming the new job; worker-2 writes.
  Result<std::vector<ExpiredRun>> swept = store_->sweep_expired_runs(at(kNow + 2 * kMinute), {});
  ASSERT_TRUE(swept.ok());
  ASSERT_EQ(swept->size(), 1u);
  Result<std::optional<ClaimedJob>> second = store_->claim_job("worker-2", lease, at(kNow + 2 * kMinute), 0);
  ASSERT_TRUE(second.ok() && second->has_value());
  const LeaseHold taken{(*second)->job_id, "worker-2"};
  refused(held, at(kNow + 2 * kMinute + 1), "old job after the takeover");
  refused(LeaseHold{taken.job_id, "worker-1"}, at(kNow + 2 * kMinute + 1), "new job, old owner");
  EXPECT_EQ(count(), 1u);
  EXPECT_EQ(cursor_of(), R"({"after":"1"})");

  Result<LeadBatchResult> resumed = store_->apply_lead_batch(
      t, c->id, {contact("c-2", "Bob", "", "")}, R"({"after":"2"})", taken, at(kNow + 2 * kMinute + 2));
  ASSERT_TRUE(resumed.ok()) << resumed.error().message;
  EXPECT_EQ(resumed->created, 1);
  EXPECT_EQ(count(), 2u);
  EXPECT_EQ(cursor_of(), R"({"after":"2"})");
}

// --- manual leads ---

TEST_P(StoreSuite, ManualLeadsAreCreatedFoundAndLinkedLater) {
  auto a = store_->create_tenant_with_user("A", "a@a.test", "h", at(kNow));
  auto b = store_->create_tenant_with_user("B", "b@b.test", "h", at(kNow));
  ASSERT_TRUE(a.ok() && b.ok());
  const TenantId ta = a->first.id;

  Lead input;
  input.name = "Walk-in";
  input.email = "Walk@In.test";
  input.email_norm = "walk@in.test";
  input.phone_raw = "(415) 555-0199";
  input.phone_e164 = "+14155550199";
  input.phone_valid = true;
  input.source = "crm";         // ignored: create_lead makes manual leads
  input.crm_id = "not-a-link";  // ignored too
  Result<Lead> made = store_->create_lead(ta, input, at(kNow));
  ASSERT_TRUE(made.ok()) << made.error().message;
  EXPECT_GT(made->id.value(), 0);
  EXPECT_EQ(made->tenant_id, ta);
  EXPECT_EQ(made->source, "manual");
  EXPECT_EQ(made->match_reason, "manual");
  EXPECT_EQ(made->name, "Walk-in");
  EXPECT_EQ(made->email, "Walk@In.test");
  EXPECT_EQ(made->email_norm, "walk@in.test");
  EXPECT_EQ(made->phone_raw, "(415) 555-0199");
  EXPECT_EQ(made->phone_e164, "+14155550199");
  EXPECT_TRUE(made->phone_valid);
  EXPECT_EQ(made->crm_id, "");
  EXPECT_EQ(made->crm_connection_id, ConnectionId{0});
  EXPECT_EQ(made->created_at_ms, kNow);

  // Two manual leads may share everything: only CRM ids are unique.
  ASSERT_TRUE(store_->create_lead(ta, input, at(kNow)).ok());
  Result<Lead> unknown_tenant = store_->create_lead(TenantId{9999}, input, at(kNow));
  ASSERT_FALSE(unknown_tenant.ok());
  EXPECT_EQ(unknown_tenant.error().code, core::ErrorCode::not_found);

  Result<std::optional<Lead>> from_b = store_->find_lead(b->first.id, made->id);
  ASSERT_TRUE(from_b.ok());
  EXPECT_FALSE(from_b->has_value());
  Result<std::optional<Lead>> missing = store_->find_lead(ta, shifted(made->id, 1000));
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());

  // A CRM contact matched by phone links the manual lead; it stays manual (never deleted by a sync).
  Result<CrmConnection> c = store_->upsert_crm_connection(hubspot(ta, "p", "c"), at(kNow));
  ASSERT_TRUE(c.ok());
  LeadWrite linked = contact("c-7", "Walk-in Customer", "+14155550199", "", made->id);
  linked.lead.phone_raw = "+1 415 555 0199";
  linked.lead.match_reason = "phone";
  Result<LeadBatchResult> w = store_->apply_lead_batch(ta, c->id, {linked}, "", std::nullopt, at(kNow + 1));
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_EQ(w->updated, 1);
  Lead after = stored_lead(*store_, ta, made->id);
  EXPECT_EQ(after.source, "manual");
  EXPECT_EQ(after.crm_provider, "hubspot");
  EXPECT_EQ(after.crm_id, "c-7");
  EXPECT_EQ(after.crm_connection_id, c->id);
  EXPECT_EQ(after.match_reason, "phone");
  EXPECT_EQ(after.name, "Walk-in Customer");
  EXPECT_EQ(after.email, "Walk@In.test");
  Result<std::vector<core::ExistingLead>> cands =
      store_->find_lead_candidates(ta, "hubspot", {"c-7"}, {}, {});
  ASSERT_TRUE(cands.ok());
  ASSERT_EQ(cands->size(), 1u);
  EXPECT_TRUE(cands->front().manual);

  // A write that must not take the link (a lead of another provider) updates but keeps the link.
  LeadWrite other_provider = contact("sf-1", "Walk-in Customer", "", "", made->id);
  other_provider.lead.crm_provider = "salesforce";
  other_provider.lead.crm_status = "Working";
  other_provider.link_crm_id = false;
  ASSERT_TRUE(store_->apply_lead_batch(ta, c->id, {other_provider}, "", std::nullopt, at(kNow + 2)).ok());
  after = stored_lead(*store_, ta, made->id);
  EXPECT_EQ(after.crm_provider, "hubspot");
  EXPECT_EQ(after.crm_id, "c-7");
  EXPECT_EQ(after.crm_status, "Working");
}

// --- listing ---

TEST_P(StoreSuite, LeadsListNewestFirstInKeysetPages) {
  auto created = store_->create_tenant_with_user("Acme", "a@acme.test", "h", at(kNow));
  ASSERT_TRUE(created.ok());
  const TenantId t = created->first.id;
  // Five leads; the last three share a creation time, so the id breaks the tie.
  const std::int64_t times[] = {kNow, kNow + 1, kNow + 2, kNow + 2, kNow + 2};
  for (int i = 0; i < 5; ++i) {
    Lead l;
    l.name = "L" + std::to_string(i);
    ASSERT_TRUE(store_->create_lead(t, l, at(times[i])).ok());
  }

  LeadQuery q;
  q.limit = 2;
  std::vector<std::string> seen;
  int pages = 0;
  for (;;) {
    Result<LeadPage> page = store_->list_leads(t, q);
    ASSERT_TRUE(page.ok()) << page.error().message;
    ++pages;
    for (const std::string& n : names_of(*page)) seen.push_back(n);
    if (!page->next) break;
    ASSERT_EQ(page->items.size(), 2u);
    EXPECT_EQ(page->next->id, page->items.back().id.value());
    EXPECT_EQ(page->next->sort_ms, page->items.back().created_at_ms);
    q.after = page->next;
    ASSERT_LT(pages, 10);
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, (std::vector<std::string>{"L4", "L3", "L2", "L1", "L0"}));

  // No next page when the rows end exactly at the limit.
  LeadQuery exact;
  exact.limit = 5;
  Result<LeadPage> all = store_->list_leads(t, exact);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->items.size(), 5u);
  EXPECT_FALSE(all->next.has_value());
}

TEST_P(StoreSuite, LeadsSearchMatchesNameEmailAndPhoneCaseInsensitively) {
  auto a = store_->create_tenant_with_user("A", "a@a.test", "h", at(kNow));
  auto b = store_->create_tenant_with_user("B", "b@b.test", "h", at(kNow));
  ASSERT_TRUE(a.ok() && b.ok());
  const TenantId ta = a->first.id;
  auto add = [&](TenantId tenant, const std::string& name, const std::string& email, const std::string& raw,
                 const std::string& e164, std::int64_t created_at_ms) {
    Lead l;
    l.name = name;
    l.email = email;
    l.email_norm = email;
    l.phone_raw = raw;
    l.phone_e164 = e164;
    ASSERT_TRUE(store_->create_lead(tenant, l, at(created_at_ms)).ok());
  };
  add(ta, "Ann Smith", "ann@example.test", "(415) 555-0101", "+14155550101", kNow);
  add(ta, "Bob Jones", "BOB@Corp.test", "", "", kNow + 1);
  add(ta, "100% Real", "", "", "", kNow + 2);
  add(ta, "snake_case", "", "", "", kNow + 3);
  add(ta, "snakeXcase", "", "", "", kNow + 4);
  add(b->first.id, "Ann Other", "ann@b.test", "", "", kNow);

  auto search = [&](const std::string& text, int limit = 50) {
    LeadQuery q;
    q.q = text;
    q.limit = limit;
    Result<LeadPage> page = store_->list_leads(ta, q);
    EXPECT_TRUE(page.ok()) << page.error().message;
    return page.ok() ? names_of(*page) : std::vector<std::string>{"error"};
  };

  EXPECT_EQ(search("ANN"), std::vector<std::string>{"Ann Smith"}) << "B's Ann is not listed";
  EXPECT_EQ(search("corp.TEST"), std::vector<std::string>{"Bob Jones"});
  EXPECT_EQ(search("555-01"), std::vector<std::string>{"Ann Smith"});
  EXPECT_EQ(search("+1415"), std::vector<std::string>{"Ann Smith"});
  EXPECT_EQ(search("0% r"), std::vector<std::string>{"100% Real"});
  EXPECT_EQ(search("%"), std::vector<std::string>{"100% Real"}) << "% is a character, not a wildcard";
  EXPECT_EQ(search("e_c"), std::vector<std::string>{"snake_case"}) << "_ is a character, not a wildcard";
  EXPECT_EQ(search("\\"), std::vector<std::string>{});
  EXPECT_EQ(search("nobody"), std::vector<std::string>{});
  EXPECT_EQ(search("a", 50).size(), 4u);

  // Search pages like the plain list.
  LeadQuery q;
  q.q = "snake";
  q.limit = 1;
  Result<LeadPage> first = store_->list_leads(ta, q);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(names_of(*first), std::vector<std::string>{"snakeXcase"});
  ASSERT_TRUE(first->next.has_value());
  q.after = first->next;
  Result<LeadPage> second = store_->list_leads(ta, q);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(names_of(*second), std::vector<std::string>{"snake_case"});
  EXPECT_FALSE(second->next.has_value());
}

}  // namespace tenantsync::store::test
