#include "upstream/crm/stored_credentials.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/error_code.hpp"

namespace tenantsync::upstream {
namespace {

TEST(StoredCredentialsTest, RoundTrips) {
  const StoredCredentials full{"at-1", "rt-1", "https://acme.my.salesforce.com", 1'700'000'000'000};
  auto read = parse_stored_credentials(to_json(full));
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->access_token, "at-1");
  EXPECT_EQ(read->refresh_token, "rt-1");
  EXPECT_EQ(read->instance_url, "https://acme.my.salesforce.com");
  EXPECT_EQ(read->expires_at_ms, 1'700'000'000'000);
}

TEST(StoredCredentialsTest, WritesOnlyWhatIsSet) {
  StoredCredentials token;
  token.access_token = "pat-na1-1";
  EXPECT_EQ(to_json(token), R"({"access_token":"pat-na1-1"})");
  StoredCredentials oauth;
  oauth.refresh_token = "rt";
  oauth.instance_url = "https://x";
  EXPECT_EQ(nlohmann::json::parse(to_json(oauth)),
            (nlohmann::json{{"refresh_token", "rt"}, {"instance_url", "https://x"}}));
  EXPECT_EQ(to_json(StoredCredentials{}), "{}");
}

TEST(StoredCredentialsTest, ReadsWhatTheEarlierWritersWrote) {
  // POST /api/crm/connect wrote {"access_token"} or {"refresh_token"} plus "instance_url"; a
  // rotation wrote every field, empty ones included.
  auto connect = parse_stored_credentials(R"({"refresh_token":"rt-1","instance_url":"https://i"})");
  ASSERT_TRUE(connect.ok());
  EXPECT_EQ(connect->refresh_token, "rt-1");
  EXPECT_EQ(connect->instance_url, "https://i");
  EXPECT_EQ(connect->access_token, "");
  EXPECT_EQ(connect->expires_at_ms, 0);
  auto rotated = parse_stored_credentials(
      R"({"access_token":"at-2","expires_at_ms":1700000000000,"instance_url":"","refresh_token":"rt-2"})");
  ASSERT_TRUE(rotated.ok());
  EXPECT_EQ(rotated->access_token, "at-2");
  EXPECT_EQ(rotated->expires_at_ms, 1'700'000'000'000);
  EXPECT_EQ(rotated->instance_url, "");
}

TEST(StoredCredentialsTest, EmptyTextIsNoCredentials) {
  auto none = parse_stored_credentials("");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->access_token, "");
  EXPECT_EQ(none->refresh_token, "");
}

TEST(StoredCredentialsTest, FieldsOfAnotherTypeCountAsUnset) {
  auto odd = parse_stored_credentials(R"({"access_token":42,"refresh_token":null,"expires_at_ms":"soon"})");
  ASSERT_TRUE(odd.ok());
  EXPECT_EQ(odd->access_token, "");
  EXPECT_EQ(odd->refresh_token, "");
  EXPECT_EQ(odd->expires_at_ms, 0);
}

TEST(StoredCredentialsTest, UnreadableNeedsReauth) {
  for (const char* json : {"not json", "[1,2]", "\"text\"", "{\"access_token\":"}) {
    auto read = parse_stored_credentials(json);
    ASSERT_FALSE(read.ok()) << json;
    EXPECT_EQ(read.error().code, core::ErrorCode::needs_reauth);
    EXPECT_EQ(read.error().code, core::ErrorCode::needs_reauth);
    EXPECT_EQ(read.error().message, "The stored CRM credentials are unreadable.");
  }
}

}  // namespace
}  // namespace tenantsync::upstream
