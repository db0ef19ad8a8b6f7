#include "support/store_suite.hpp"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "store/migrations.hpp"
#include "store/sql/errors.hpp"
#include "store/sql_store.hpp"

namespace tenantsync::store::test {
namespace {

constexpr std::int64_t kNow = 1'700'000'000'000;
constexpr std::int64_t kHour = 3'600'000;

int latest_version(const std::string& backend) {
  int latest = 0;
  for (const Migration& m : embedded_migrations()) {
    if (m.backend == backend) latest = std::max(latest, m.version);
  }
  return latest;
}

int migration_count(const std::string& backend) {
  return static_cast<int>(std::count_if(embedded_migrations().begin(), embedded_migrations().end(),
                                        [&](const Migration& m) { return m.backend == backend; }));
}

sql::Database& database_of(Store& store) {
  auto* sql_store = dynamic_cast<SqlStore*>(&store);
  EXPECT_NE(sql_store, nullptr);
  return sql_store->database();
}

}  // namespace

void StoreSuite::SetUp() {
  db_ = GetParam().make();
  ASSERT_NE(db_, nullptr) << "could not make a test database for " << GetParam().name;
  store_ = open_again();
  ASSERT_NE(store_, nullptr);
  Result<int> migrated = store_->migrate();
  ASSERT_TRUE(migrated.ok()) << migrated.error().message;
}

void StoreSuite::TearDown() {
  store_.reset();
  db_.reset();
}

std::unique_ptr<Store> StoreSuite::open_again(const StoreOptions& options) {
  Result<std::unique_ptr<Store>> opened = open_store(db_->url(), options);
  EXPECT_TRUE(opened.ok()) << opened.error().message;
  if (!opened.ok()) return nullptr;
  return std::move(opened).value();
}

// --- migrations ---

TEST_P(StoreSuite, MigrateIsIdempotentAndReportsTheVersion) {
  const std::string backend = store_->backend();
  std::unique_ptr<TestDatabase> fresh = GetParam().make();
  ASSERT_NE(fresh, nullptr);
  Result<std::unique_ptr<Store>> opened = open_store(fresh->url());
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  Store& store = **opened;

  Result<int> before = store.schema_version();
  ASSERT_TRUE(before.ok()) << before.error().message;
  EXPECT_EQ(*before, 0);

  Result<int> first = store.migrate();
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(*first, migration_count(backend));
  EXPECT_GE(*first, 1);
  Result<int> second = store.migrate();
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(*second, 0);

  Result<int> version = store.schema_version();
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, latest_version(backend));
  opened.value().reset();
}

TEST_P(StoreSuite, ConcurrentMigrationsApplyEachMigrationOnce) {
  const std::string backend = store_->backend();
  std::unique_ptr<TestDatabase> fresh = GetParam().make();
  ASSERT_NE(fresh, nullptr);
  std::vector<std::unique_ptr<Store>> instances;
  for (int i = 0; i < 3; ++i) {
    Result<std::unique_ptr<Store>> opened = open_store(fresh->url());
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    instances.push_back(std::move(opened).value());
  }
  std::atomic<int> applied{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (auto& instance : instances) {
    threads.emplace_back([&, s = instance.get()] {
      Result<int> r = s->migrate();
      if (r.ok()) {
        applied += *r;
      } else {
        ++failures;
        ADD_FAILURE() << r.error().message;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(applied, migration_count(backend));
  Result<int> version = instances[0]->schema_version();
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, latest_version(backend));
  instances.clear();
}

TEST_P(StoreSuite, SchemaHasEveryTableOfTheDataModel) {
  sql::Database& db = database_of(*store_);
  for (const char* table : {"tenants", "users", "tokens", "tenant_settings", "agents", "phone_numbers",
                            "campaigns", "executions", "crm_connections", "leads", "sync_runs", "jobs",
                            "sync_cursors", "scheduler_ticks", "schema_migrations"}) {
    Result<sql::QueryResult> r = db.query(sql::Access::read, std::string("SELECT COUNT(*) FROM ") + table);
    ASSERT_TRUE(r.ok()) << table << ": " << r.error().message;
    EXPECT_EQ(r->rows.at(0).int64(0),
              table == std::string("schema_migrations") ? migration_count(store_->backend()) : 0)
        << table;
  }
}

TEST_P(StoreSuite, MirrorAndLeadConstraintsHoldOnBothBackends) {
  auto created = store_->create_tenant_with_user("Acme", "a@acme.test", "hash", at(kNow));
  ASSERT_TRUE(created.ok());
  const TenantId tenant = created->first.id;
  sql::Database& db = database_of(*store_);
  const std::string insert_agent =
      "INSERT INTO agents (tenant_id, upstream_id, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)";
  ASSERT_TRUE(
      db.query(sql::Access::write, insert_agent, {tenant.value(), "ag-1", "Front desk", kNow, kNow}).ok());
  Result<sql::QueryResult> dup =
      db.query(sql::Access::write, insert_agent, {tenant.value(), "ag-1", "Again", kNow, kNow});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, core::ErrorCode::unique_violation);

  // Manual leads (no crm_id) are not constrained; a CRM contact is one lead per tenant.
  const std::string insert_lead =
      "INSERT INTO leads (tenant_id, source, crm_provider, crm_id, created_at, updated_at) VALUES (?, ?, ?, "
      "?, ?, ?)";
  ASSERT_TRUE(
      db.query(sql::Access::write, insert_lead, {tenant.value(), "manual", nullptr, nullptr, kNow, kNow})
          .ok());
  ASSERT_TRUE(
      db.query(sql::Access::write, insert_lead, {tenant.value(), "manual", nullptr, nullptr, kNow, kNow})
          .ok());
  ASSERT_TRUE(
      db.query(sql::Access::write, insert_lead, {tenant.value(), "crm", "hubspot", "c-1", kNow, kNow}).ok());
  Result<sql::QueryResult> dup_lead =
      db.query(sql::Access::write, insert_lead, {tenant.value(), "crm", "hubspot", "c-1", kNow, kNow});
  ASSERT_FALSE(dup_lead.ok());
  EXPECT_EQ(dup_lead.error().code, core::ErrorCode::unique_violation);

  // Foreign keys are enforced (SQLite needs foreign_keys=ON on every connection for this).
  Result<sql::QueryResult> orphan =
      db.query(sql::Access::write, insert_agent, {tenant.value() + 1000, "x", "x", kNow, kNow});
  ASSERT_FALSE(orphan.ok());
  EXPECT_EQ(orphan.error().code, core::ErrorCode::foreign_key_violation);
}

// --- the SQL layer, through the same query text on both backends ---

TEST_P(StoreSuite, ParameterAndResultValuesRoundTrip) {
  sql::Database& db = database_of(*store_);
  const std::string text = "it's a \"quoted\" ? — ünïcode";
  Result<sql::QueryResult> r = db.query(sql::Access::read, "SELECT ?, ?, ?, CAST(? AS BIGINT), '?'",
                                        {std::int64_t{9'007'199'254'740'993}, 2.5, text, nullptr});
  ASSERT_TRUE(r.ok()) << r.error().message;
  const sql::Row& row = r->rows.at(0);
  EXPECT_EQ(std::get<std::int64_t>(row[0]), 9'007'199'254'740'993);
  EXPECT_DOUBLE_EQ(std::get<double>(row[1]), 2.5);
  EXPECT_EQ(std::get<std::string>(row[2]), text);
  EXPECT_TRUE(row.is_null(3));
  EXPECT_EQ(row.opt_int64(3), std::nullopt);
  EXPECT_EQ(row.text(4), "?");
}

TEST_P(StoreSuite, TransactionRollsBackUnlessCommitted) {
  sql::Database& db = database_of(*store_);
  {
    Result<sql::Transaction> tx = db.begin(sql::Access::write);
    ASSERT_TRUE(tx.ok()) << tx.error().message;
    ASSERT_TRUE(tx->query("INSERT INTO tenants (name, created_at) VALUES (?, ?)", {"Ghost", kNow}).ok());
  }
  {
    Result<sql::Transaction> tx = db.begin(sql::Access::write);
    ASSERT_TRUE(tx.ok());
    Result<sql::QueryResult> r =
        tx->query("INSERT INTO tenants (name, created_at) VALUES (?, ?)", {"Kept", kNow});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->affected, 1);
    ASSERT_TRUE(tx->commit().ok());
  }
  Result<std::vector<Tenant>> tenants = store_->list_tenants();
  ASSERT_TRUE(tenants.ok());
  ASSERT_EQ(tenants->size(), 1u);
  EXPECT_EQ(tenants->front().name, "Kept");
}

TEST_P(StoreSuite, AFailedStatementPoisonsItsTransaction) {
  sql::Database& db = database_of(*store_);
  {
    Result<sql::Transaction> tx = db.begin(sql::Access::write);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(tx->query("INSERT INTO tenants (name, created_at) VALUES (?, ?)", {"Half", kNow}).ok());
    EXPECT_FALSE(tx->query("INSERT INTO no_such_table VALUES (1)").ok());
    Status committed = tx->commit();
    ASSERT_FALSE(committed.ok());
    EXPECT_EQ(committed.error().code, core::ErrorCode::db_error);
  }
  Result<std::vector<Tenant>> tenants = store_->list_tenants();
  ASSERT_TRUE(tenants.ok());
  EXPECT_TRUE(tenants->empty());
}

// --- tenants and users ---

TEST_P(StoreSuite, CreatesTenantWithFirstUser) {
  auto created = store_->create_tenant_with_user("Acme", "  Owner@Acme.TEST ", "argon2-hash", at(kNow));
  ASSERT_TRUE(created.ok()) << created.error().message;
  const auto& [tenant, user] = *created;
  EXPECT_GT(tenant.id.value(), 0);
  EXPECT_EQ(tenant.name, "Acme");
  EXPECT_EQ(tenant.default_region, "US");
  EXPECT_EQ(tenant.created_at_ms, kNow);
  EXPECT_GT(user.id.value(), 0);
  EXPECT_EQ(user.tenant_id, tenant.id);
  EXPECT_EQ(user.email, "owner@acme.test");
  EXPECT_EQ(user.password_hash, "argon2-hash");
  EXPECT_EQ(user.created_at_ms, kNow);

  Result<User> second = store_->create_user(tenant.id, "ops@acme.test", "h2", at(kNow + 1));
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->tenant_id, tenant.id);
  EXPECT_NE(second->id, user.id);
}

TEST_P(StoreSuite, DuplicateEmailIsEmailTakenAndLeavesNoOrphanTenant) {
  auto first = store_->create_tenant_with_user("Acme", "owner@acme.test", "h", at(kNow));
  ASSERT_TRUE(first.ok());

  auto second = store_->create_tenant_with_user("Copycat", "OWNER@acme.test", "h", at(kNow));
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, core::ErrorCode::email_taken);
  EXPECT_FALSE(second.error().message.empty());

  // The tenant inserted before the failing user insert was rolled back with it.
  Result<std::vector<Tenant>> tenants = store_->list_tenants();
  ASSERT_TRUE(tenants.ok());
  ASSERT_EQ(tenants->size(), 1u);
  EXPECT_EQ(tenants->front().name, "Acme");
  Result<std::optional<Tenant>> copycat = store_->find_tenant_by_name("Copycat");
  ASSERT_TRUE(copycat.ok());
  EXPECT_FALSE(copycat->has_value());

  Result<User> same_tenant = store_->create_user(first->first.id, "owner@acme.test", "h", at(kNow));
  ASSERT_FALSE(same_tenant.ok());
  EXPECT_EQ(same_tenant.error().code, core::ErrorCode::email_taken);

  // The store still works after the failed transactions.
  auto third = store_->create_tenant_with_user("Third", "third@acme.test", "h", at(kNow));
  EXPECT_TRUE(third.ok());
}

TEST_P(StoreSuite, CreateUserInUnknownTenantIsNotFound) {
  Result<User> user = store_->create_user(TenantId{424242}, "nobody@acme.test", "h", at(kNow));
  ASSERT_FALSE(user.ok());
  EXPECT_EQ(user.error().code, core::ErrorCode::not_found);
}

TEST_P(StoreSuite, FindsUsersAndTenants) {
  auto acme = store_->create_tenant_with_user("Acme", "owner@acme.test", "h1", at(kNow));
  auto globex = store_->create_tenant_with_user("Globex", "boss@globex.test", "h2", at(kNow + 5));
  ASSERT_TRUE(acme.ok());
  ASSERT_TRUE(globex.ok());

  Result<std::optional<User>> user = store_->find_user_by_email("Boss@Globex.test");
  ASSERT_TRUE(user.ok());
  ASSERT_TRUE(user->has_value());
  EXPECT_EQ((*user)->id, globex->second.id);
  EXPECT_EQ((*user)->tenant_id, globex->first.id);
  EXPECT_EQ((*user)->password_hash, "h2");
  Result<std::optional<User>> missing_user = store_->find_user_by_email("ghost@acme.test");
  ASSERT_TRUE(missing_user.ok());
  EXPECT_FALSE(missing_user->has_value());

  Result<std::optional<Tenant>> tenant = store_->find_tenant(acme->first.id);
  ASSERT_TRUE(tenant.ok());
  ASSERT_TRUE(tenant->has_value());
  EXPECT_EQ((*tenant)->name, "Acme");
  EXPECT_EQ((*tenant)->created_at_ms, kNow);
  Result<std::optional<Tenant>> by_name = store_->find_tenant_by_name("Globex");
  ASSERT_TRUE(by_name.ok());
  ASSERT_TRUE(by_name->has_value());
  EXPECT_EQ((*by_name)->id, globex->first.id);
  Result<std::optional<Tenant>> missing = store_->find_tenant(shifted(globex->first.id, 100));
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());

  Result<std::vector<Tenant>> all = store_->list_tenants();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].name, "Acme");
  EXPECT_EQ((*all)[1].name, "Globex");
}

// --- tokens ---

TEST_P(StoreSuite, TokensCreateFindExpireAndDelete) {
  auto acme = store_->create_tenant_with_user("Acme", "owner@acme.test", "h", at(kNow));
  ASSERT_TRUE(acme.ok());
  const User& user = acme->second;
  ASSERT_TRUE(store_->create_token("hash-live", user.id, user.tenant_id, at(kNow), at(kNow + kHour)).ok());
  ASSERT_TRUE(
      store_->create_token("hash-old", user.id, user.tenant_id, at(kNow - 2 * kHour), at(kNow - kHour)).ok());

  Result<std::optional<AuthSession>> session = store_->find_session("hash-live", at(kNow));
  ASSERT_TRUE(session.ok()) << session.error().message;
  ASSERT_TRUE(session->has_value());
  EXPECT_EQ((*session)->user_id, user.id);
  EXPECT_EQ((*session)->tenant_id, user.tenant_id);
  EXPECT_EQ((*session)->email, "owner@acme.test");
  EXPECT_EQ((*session)->expires_at_ms, kNow + kHour);

  // Expired: at and after expires_at.
  Result<std::optional<AuthSession>> expired = store_->find_session("hash-old", at(kNow));
  ASSERT_TRUE(expired.ok());
  EXPECT_FALSE(expired->has_value());
  Result<std::optional<AuthSession>> at_expiry = store_->find_session("hash-live", at(kNow + kHour));
  ASSERT_TRUE(at_expiry.ok());
  EXPECT_FALSE(at_expiry->has_value());
  Result<std::optional<AuthSession>> unknown = store_->find_session("no-such-hash", at(kNow));
  ASSERT_TRUE(unknown.ok());
  EXPECT_FALSE(unknown->has_value());

  Result<int> removed = store_->delete_expired_tokens(at(kNow));
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, 1);
  Result<int> none_left = store_->delete_expired_tokens(at(kNow));
  ASSERT_TRUE(none_left.ok());
  EXPECT_EQ(*none_left, 0);

  ASSERT_TRUE(store_->delete_token("hash-live").ok());
  Result<std::optional<AuthSession>> gone = store_->find_session("hash-live", at(kNow));
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(gone->has_value());
  EXPECT_TRUE(store_->delete_token("hash-live").ok());  // logging out twice is fine
}

TEST_P(StoreSuite, LogoutEverywhereRemovesOnlyThatUsersTokens) {
  auto acme = store_->create_tenant_with_user("Acme", "owner@acme.test", "h", at(kNow));
  ASSERT_TRUE(acme.ok());
  auto colleague = store_->create_user(acme->first.id, "colleague@acme.test", "h", at(kNow));
  auto globex = store_->create_tenant_with_user("Globex", "boss@globex.test", "h", at(kNow));
  ASSERT_TRUE(colleague.ok());
  ASSERT_TRUE(globex.ok());
  const User& owner = acme->second;
  for (const char* hash : {"owner-laptop", "owner-phone"})
    ASSERT_TRUE(store_->create_token(hash, owner.id, owner.tenant_id, at(kNow), at(kNow + kHour)).ok());
  ASSERT_TRUE(store_->create_token("colleague", colleague->id, colleague->tenant_id, at(kNow), at(kNow + kHour)).ok());
  ASSERT_TRUE(store_->create_token("boss", globex->second.id, globex->first.id, at(kNow), at(kNow + kHour)).ok());

  // The user id alone does not reach another tenant's user.
  Result<int> wrong_tenant = store_->delete_user_tokens(globex->first.id, owner.id);
  ASSERT_TRUE(wrong_tenant.ok());
  EXPECT_EQ(*wrong_tenant, 0);

  Result<int> revoked = store_->delete_user_tokens(owner.tenant_id, owner.id);
  ASSERT_TRUE(revoked.ok()) << revoked.error().message;
  EXPECT_EQ(*revoked, 2);
  for (const char* hash : {"owner-laptop", "owner-phone"}) EXPECT_FALSE(store_->find_session(hash, at(kNow))->has_value());
  EXPECT_TRUE(store_->find_session("colleague", at(kNow))->has_value());
  EXPECT_TRUE(store_->find_session("boss", at(kNow))->has_value());
}

TEST_P(StoreSuite, TokenForUnknownUserOrWrongTenantIsNotFound) {
  auto acme = store_->create_tenant_with_user("Acme", "owner@acme.test", "h", at(kNow));
  auto globex = store_->create_tenant_with_user("Globex", "boss@globex.test", "h", at(kNow));
  ASSERT_TRUE(acme.ok());
  ASSERT_TRUE(globex.ok());
  Status unknown =
      store_->create_token("t1", shifted(acme->second.id, 1000), acme->first.id, at(kNow), at(kNow + kHour));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, core::ErrorCode::not_found);
  Status cross = store_->create_token("t2", acme->second.id, globex->first.id, at(kNow), at(kNow + kHour));
  ASSERT_FALSE(cross.ok());
  EXPECT_EQ(cross.error().code, core::ErrorCode::not_found);

  ASSERT_TRUE(store_->create_token("t3", acme->second.id, acme->first.id, at(kNow), at(kNow + kHour)).ok());
  Status duplicate = store_->create_token("t3", acme->second.id, acme->first.id, at(kNow), at(kNow + kHour));
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().code, core::ErrorCode::conflict);
}

// --- settings ---

TEST_P(StoreSuite, SettingsDefaultThenRoundTrip) {
  auto acme = store_->create_tenant_with_user("Acme", "owner@acme.test", "h", at(kNow));
  ASSERT_TRUE(acme.ok());
  const TenantId tenant = acme->first.id;

  Result<TenantSettings> defaults = store_->get_settings(tenant);
  ASSERT_TRUE(defaults.ok()) << defaults.error().message;
  EXPECT_EQ(defaults->tenant_id, tenant);
  EXPECT_EQ(defaults->voice_api_key_cipher, "");
  EXPECT_EQ(defaults->voice_key_last4, "");
  EXPECT_EQ(defaults->voice_base_url, "");
  EXPECT_EQ(defaults->voice_account_id, "");
  EXPECT_EQ(defaults->default_region, "US");
  EXPECT_EQ(defaults->updated_at_ms, 0);

  TenantSettings saved;
  saved.tenant_id = tenant;
  saved.voice_api_key_cipher = "bm9uY2U=:Y2lwaGVy";
  saved.voice_key_last4 = "9f3a";
  saved.voice_base_url = "https://api.thinkvoice.test";
  saved.voice_account_id = "acct-1";
  saved.default_region = "IN";
  ASSERT_TRUE(store_->put_settings(saved, at(kNow + 10)).ok());

  Result<TenantSettings> read = store_->get_settings(tenant);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->voice_api_key_cipher, saved.voice_api_key_cipher);
  EXPECT_EQ(read->voice_key_last4, "9f3a");
  EXPECT_EQ(read->voice_base_url, saved.voice_base_url);
  EXPECT_EQ(read->voice_account_id, "acct-1");
  EXPECT_EQ(read->default_region, "IN");
  EXPECT_EQ(read->updated_at_ms, kNow + 10);
  Result<std::optional<Tenant>> t = store_->find_tenant(tenant);
  ASSERT_TRUE(t.ok() && t->has_value());
  EXPECT_EQ((*t)->default_region, "IN");

  // A second save overwrites every field, including clearing the key.
  saved.voice_api_key_cipher.clear();
  saved.voice_key_last4.clear();
  saved.voice_account_id = "acct-2";
  saved.default_region = "GB";
  ASSERT_TRUE(store_->put_settings(saved, at(kNow + 20)).ok());
  Result<TenantSettings> again = store_->get_settings(tenant);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->voice_api_key_cipher, "");
  EXPECT_EQ(again->voice_account_id, "acct-2");
  EXPECT_EQ(again->default_region, "GB");
  EXPECT_EQ(again->updated_at_ms, kNow + 20);
}

TEST_P(StoreSuite, SettingsOfUnknownTenantAreNotFound) {
  Result<TenantSettings> read = store_->get_settings(TenantId{777});
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().code, core::ErrorCode::not_found);
  TenantSettings settings;
  settings.tenant_id = TenantId{777};
  Status put = store_->put_settings(settings, at(kNow));
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, core::ErrorCode::not_found);
}

// --- isolation ---

TEST_P(StoreSuite, TenantsNeverSeeEachOthersSettingsOrSessions) {
  auto a = store_->create_tenant_with_user("A", "a@a.test", "h", at(kNow));
  auto b = store_->create_tenant_with_user("B", "b@b.test", "h", at(kNow));
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  TenantSettings a_settings;
  a_settings.tenant_id = a->first.id;
  a_settings.voice_api_key_cipher = "secret-of-a";
  a_settings.voice_key_last4 = "aaaa";
  a_settings.voice_account_id = "acct-a";
  a_settings.default_region = "DE";
  ASSERT_TRUE(store_->put_settings(a_settings, at(kNow)).ok());
  ASSERT_TRUE(store_->create_token("token-a", a->second.id, a->first.id, at(kNow), at(kNow + kHour)).ok());
  ASSERT_TRUE(store_->create_token("token-b", b->second.id, b->first.id, at(kNow), at(kNow + kHour)).ok());

  Result<TenantSettings> b_settings = store_->get_settings(b->first.id);
  ASSERT_TRUE(b_settings.ok());
  EXPECT_EQ(b_settings->tenant_id, b->first.id);
  EXPECT_EQ(b_settings->voice_api_key_cipher, "");
  EXPECT_EQ(b_settings->voice_account_id, "");
  EXPECT_EQ(b_settings->default_region, "US");

  Result<std::optional<AuthSession>> sa = store_->find_session("token-a", at(kNow));
  Result<std::optional<AuthSession>> sb = store_->find_session("token-b", at(kNow));
  ASSERT_TRUE(sa.ok() && sa->has_value());
  ASSERT_TRUE(sb.ok() && sb->has_value());
  EXPECT_EQ((*sa)->tenant_id, a->first.id);
  EXPECT_EQ((*sa)->email, "a@a.test");
  EXPECT_EQ((*sb)->tenant_id, b->first.id);
  EXPECT_EQ((*sb)->email, "b@b.test");

  // Saving B's settings leaves A's untouched.
  TenantSettings b_new;
  b_new.tenant_id = b->first.id;
  b_new.voice_api_key_cipher = "secret-of-b";
  ASSERT_TRUE(store_->put_settings(b_new, at(kNow + 1)).ok());
  Result<TenantSettings> a_read = store_->get_settings(a->first.id);
  ASSERT_TRUE(a_read.ok());
  EXPECT_EQ(a_read->voice_api_key_cipher, "secret-of-a");
  EXPECT_EQ(a_read->default_region, "DE");
}

// --- concurrency ---

TEST_P(StoreSuite, EightThreadsCreatingUsersConcurrentlyAllSucceed) {
  auto home = store_->create_tenant_with_user("Home", "owner@home.test", "h", at(kNow));
  ASSERT_TRUE(home.ok());
  constexpr int kThreads = 8;
  constexpr int kPerThread = 6;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string suffix = std::to_string(t) + "-" + std::to_string(i) + "@load.test";
        Result<User> user = store_->create_user(home->first.id, "user" + suffix, "h", at(kNow));
        auto tenant = store_->create_tenant_with_user("T" + suffix, "owner" + suffix, "h", at(kNow));
        Result<std::optional<User>> found = store_->find_user_by_email("user" + suffix);
        if (!user.ok() || !tenant.ok() || !found.ok() || !found->has_value()) {
          ++failures;
          ADD_FAILURE() << (!user.ok()     ? user.error().message
                            : !tenant.ok() ? tenant.error().message
                                           : "not found");
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures, 0);
  Result<std::vector<Tenant>> tenants = store_->list_tenants();
  ASSERT_TRUE(tenants.ok());
  EXPECT_EQ(tenants->size(), static_cast<std::size_t>(1 + kThreads * kPerThread));
}

// --- health ---

TEST_P(StoreSuite, PingAndBackendName) {
  EXPECT_TRUE(store_->ping().ok());
  EXPECT_TRUE(store_->backend() == "sqlite" || store_->backend() == "postgresql");
  EXPECT_EQ(store_->backend(), GetParam().name == "Sqlite" ? "sqlite" : "postgresql");
}

}  // namespace tenantsync::store::test
