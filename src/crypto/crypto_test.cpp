#include "crypto/crypto.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace tenantsync::crypto {
namespace {

TEST(Passwords, HashVerifiesOnlyTheRightPassword) {
  auto hash = hash_password("correct horse", PasswordCost::minimal);
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(hash->starts_with("$argon2id$"));
  EXPECT_TRUE(verify_password("correct horse", *hash));
  EXPECT_FALSE(verify_password("correct horse!", *hash));
  EXPECT_FALSE(verify_password("x", "not a hash"));
}

TEST(Tokens, AreRandomAndHashedStably) {
  const auto a = new_token();
  const auto b = new_token();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 3u + 43u);
  EXPECT_EQ(hash_token(a), hash_token(a));
  EXPECT_NE(hash_token(a), hash_token(b));
  EXPECT_EQ(hash_token(a).size(), 64u);
}

TEST(Tokens, ConstantTimeEqual) {
  EXPECT_TRUE(constant_time_equal("secret", "secret"));
  EXPECT_FALSE(constant_time_equal("secret", "secreT"));
  EXPECT_FALSE(constant_time_equal("secret", "secret-longer"));
  EXPECT_FALSE(constant_time_equal("", "x"));
}

TEST(SecretBox, RoundTripsAndRejectsTampering) {
  const auto dir = std::filesystem::temp_directory_path() / ("ts-crypto-" + random_hex(6));
  const auto key_path = dir / "sub" / "secret.key";
  auto box = SecretBox::from_key_file(key_path);
  ASSERT_TRUE(box.ok()) << box.error().message;
  struct stat st {};
  ASSERT_EQ(::stat(key_path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  const auto sealed = box->seal("bn-1234567890");
  EXPECT_EQ(sealed.find("bn-1234567890"), std::string::npos);
  auto opened = box->open(sealed);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, "bn-1234567890");

  // The same file gives the same key; another key cannot read it.
  auto again = SecretBox::from_key_file(key_path);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again->open(sealed), "bn-1234567890");
  auto other = SecretBox::from_key_file(dir / "other.key");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->open(sealed).error().code, core::ErrorCode::secret_unreadable);
  EXPECT_FALSE(box->open("garbage!").ok());
  std::filesystem::remove_all(dir);
}

TEST(SecretBox, RejectsMalformedKeyFile) {
  const auto path = std::filesystem::temp_directory_path() / ("ts-badkey-" + random_hex(6));
  { std::ofstream(path) << "nothex"; }
  auto box = SecretBox::from_key_file(path);
  ASSERT_FALSE(box.ok());
  EXPECT_EQ(box.error().code, core::ErrorCode::secret_key_invalid);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace tenantsync::crypto
