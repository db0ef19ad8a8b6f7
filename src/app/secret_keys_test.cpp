#include "app/secret_keys.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "store/store.hpp"
#include "support/temp_store.hpp"

namespace tenantsync::app {
namespace {

class SecretKeysTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(testing_support::open_temp_store("ts-keys-", dir_, store_, box_));
    config_.secret_key_file = (dir_ / "secret.key").string();
    auto created = store_->create_tenant_with_user("Acme", "a@acme.test", "h", TimePoint{});
    ASSERT_TRUE(created.ok());
    tenant_ = created->first.id;
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  void store_voice_key(const std::string& cipher) {
    store::TenantSettings s;
    s.tenant_id = tenant_;
    s.voice_api_key_cipher = cipher;
    s.voice_key_last4 = "1234";
    ASSERT_TRUE(store_->put_settings(s, TimePoint{}).ok());
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<crypto::SecretBox> box_;
  Config config_;
  TenantId tenant_{0};
};

TEST_F(SecretKeysTest, AMissingKeyFileIsCreatedOnlyWhileNoSecretIsStored) {
  std::filesystem::remove(config_.secret_key_file);
  auto fresh = open_secret_key(config_, *store_);
  ASSERT_TRUE(fresh.ok()) << fresh.error().message;
  EXPECT_TRUE(std::filesystem::exists(config_.secret_key_file));

  store_voice_key(fresh->seal("bn-key-1234"));
  std::filesystem::remove(config_.secret_key_file);
  auto refused = open_secret_key(config_, *store_);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.error().is(core::ErrorCode::secret_key_missing));
  EXPECT_NE(refused.error().message.find("restore the file"), std::string::npos) << refused.error().message;
  EXPECT_FALSE(std::filesystem::exists(config_.secret_key_file)) << "no new key may be made";
}

TEST_F(SecretKeysTest, RotationResealsEverySecretAndDropsTheOldKey) {
  // One secret sealed before versions (no prefix), one CRM credential sealed with version 1.
  const auto legacy = box_->seal("bn-key-1234").substr(3);
  store_voice_key(legacy);
  store::CrmConnection c;
  c.tenant_id = tenant_;
  c.provider = core::CrmProvider::hubspot;
  c.provider_account_id = "portal-1";
  c.auth_kind = core::CrmAuthKind::access_token;
  c.credentials_cipher = box_->seal(R"({"access_token":"pat-1"})");
  auto connection = store_->upsert_crm_connection(c, TimePoint{});
  ASSERT_TRUE(connection.ok()) << connection.error().message;
  // An outbound webhook's signing secret: dropping the old key without it would leave every
  // delivery of the endpoint unsignable.
  store::WebhookEndpoint endpoint;
  endpoint.tenant_id = tenant_;
  endpoint.url = "https://hooks.example.com/in";
  endpoint.events = "*";
  endpoint.secret_cipher = box_->seal("whsec-1");
  auto webhook = store_->create_webhook(endpoint, TimePoint{});
  ASSERT_TRUE(webhook.ok()) << webhook.error().message;

  auto report = rotate_secret_key(config_.secret_key_file, *store_);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->version, 2);
  EXPECT_EQ(report->resealed, 3);
  EXPECT_EQ(report->unreadable, 0);
  EXPECT_TRUE(report->old_keys_dropped);

  auto ring = crypto::SecretBox::load_key_file(config_.secret_key_file);
  ASSERT_TRUE(ring.ok());
  EXPECT_EQ(ring->versions(), (std::vector<int>{2}));
  const auto voice = store_->get_settings(tenant_)->voice_api_key_cipher;
  EXPECT_TRUE(voice.starts_with("v2:")) << voice;
  EXPECT_EQ(*ring->open(voice), "bn-key-1234");
  const auto crm = (*store_->find_crm_connection(tenant_, connection->id))->credentials_cipher;
  EXPECT_EQ(*ring->open(crm), R"({"access_token":"pat-1"})");
  const auto signing = (*store_->find_webhook(tenant_, webhook->id))->secret_cipher;
  EXPECT_EQ(*ring->open(signing), "whsec-1");
  EXPECT_FALSE(box_->open(voice).ok()) << "the old key must not read the new ciphertexts";
}

TEST_F(SecretKeysTest, AnUnreadableSecretKeepsTheOldKeysSoNothingIsLost) {
  store_voice_key("v1:" + std::string(60, 'A'));  // not sealed by any key of the ring
  auto report = rotate_secret_key(config_.secret_key_file, *store_);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->unreadable, 1);
  EXPECT_FALSE(report->old_keys_dropped);
  EXPECT_EQ(crypto::SecretBox::load_key_file(config_.secret_key_file)->versions(), (std::vector<int>{1, 2}));
  EXPECT_EQ(store_->get_settings(tenant_)->voice_api_key_cipher, "v1:" + std::string(60, 'A'));
}

TEST_F(SecretKeysTest, RotationWithoutAKeyFileChangesNothing) {
  std::filesystem::remove(config_.secret_key_file);
  auto report = rotate_secret_key(config_.secret_key_file, *store_);
  ASSERT_FALSE(report.ok());
  EXPECT_TRUE(report.error().is(core::ErrorCode::secret_key_missing));
  EXPECT_FALSE(std::filesystem::exists(config_.secret_key_file));
}

}  // namespace
}  // namespace tenantsync::app
