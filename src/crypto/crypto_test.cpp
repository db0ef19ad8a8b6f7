#include "crypto/crypto.hpp"

#include <sys/resource.h>
#include <sys/stat.h>

#include <csignal>

#include <atomic>
#include <filesystem>
#include <latch>
#include <thread>
#include <vector>
#include <fstream>
#include <iterator>

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

TEST(PasswordHasher, HashesAndVerifiesWithADummyForUnknownUsers) {
  PasswordHasher hasher(PasswordCost::minimal, 2, std::chrono::seconds(5));
  auto hash = hasher.hash("correct horse");
  ASSERT_TRUE(hash.ok());
  auto right = hasher.verify("correct horse", &*hash);
  ASSERT_TRUE(right.ok());
  EXPECT_TRUE(*right);
  EXPECT_FALSE(*hasher.verify("wrong horse", &*hash));
  // No stored hash: the dummy is checked and the answer is always no, even for its own password.
  EXPECT_FALSE(*hasher.verify("dummy-password", nullptr));
}

TEST(PasswordHasher, RefusesAsBusyWhenEveryPermitIsTaken) {
  // A real 64 MiB hash takes long enough that four threads released together meet the one
  // permit taken: the first verifies, the others are refused at once (no wait allowed).
  PasswordHasher hasher(PasswordCost::interactive, 1, std::chrono::milliseconds(0));
  auto hash = hash_password("correct horse", PasswordCost::interactive);
  ASSERT_TRUE(hash.ok());
  std::latch start(4);
  std::atomic<int> ok{0}, busy{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      start.arrive_and_wait();
      auto r = hasher.verify("correct horse", &*hash);
      if (r.ok()) {
        EXPECT_TRUE(*r);
        ++ok;
      } else {
        EXPECT_TRUE(r.error().is(core::ErrorCode::server_busy)) << r.error().code;
        ++busy;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_GE(ok.load(), 1);
  EXPECT_GE(busy.load(), 1);
  // The permit comes back.
  EXPECT_TRUE(hasher.verify("correct horse", &*hash).ok());
}

TEST(PasswordHasher, WaitersGetAPermitWhenOneIsFree) {
  PasswordHasher hasher(PasswordCost::minimal, 1, std::chrono::seconds(30));
  auto hash = *hasher.hash("correct horse");
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 5; ++j) ok += hasher.verify("correct horse", &hash).ok() ? 1 : 0;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 20);
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
  EXPECT_TRUE(other->open(sealed).error().is(core::ErrorCode::secret_unreadable));
  EXPECT_FALSE(box->open("garbage!").ok());
  std::filesystem::remove_all(dir);
}

std::filesystem::path temp_dir(const std::string& prefix) {
  const auto dir = std::filesystem::temp_directory_path() / (prefix + random_hex(6));
  std::filesystem::create_directories(dir);
  return dir;
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(SecretBox, CiphertextsNameTheirKeyVersionAndOldOnesStillOpen) {
  SecretBox::Key key{};
  key.fill(7);
  SecretBox box(key);
  const auto sealed = box.seal("bn-secret");
  EXPECT_TRUE(sealed.starts_with("v1:")) << sealed;
  EXPECT_EQ(SecretBox::version_of(sealed), 1);
  // A ciphertext from before versions is the same bytes without the prefix: key version 1.
  const auto legacy = sealed.substr(3);
  EXPECT_EQ(SecretBox::version_of(legacy), 1);
  EXPECT_EQ(*box.open(legacy), "bn-secret");
  EXPECT_FALSE(SecretBox::version_of("x1:abc").has_value());
  EXPECT_FALSE(SecretBox::version_of("v0:abc").has_value());
  EXPECT_FALSE(SecretBox::version_of("v:abc").has_value());
  EXPECT_FALSE(box.open("v2:" + legacy).ok());  // a version the ring does not have
}

TEST(SecretBox, ANewKeySealsWhileTheOldOnesStillOpen) {
  SecretBox::Key key{};
  key.fill(1);
  const SecretBox v1(key);
  const auto old_sealed = v1.seal("old secret");
  const auto ring = v1.with_new_key();
  EXPECT_EQ(ring.current_version(), 2);
  EXPECT_EQ(ring.versions(), (std::vector<int>{1, 2}));
  const auto new_sealed = ring.seal("new secret");
  EXPECT_TRUE(new_sealed.starts_with("v2:"));
  EXPECT_EQ(*ring.open(old_sealed), "old secret");
  EXPECT_EQ(*ring.open(new_sealed), "new secret");
  const auto only_new = ring.current_key_only();
  EXPECT_EQ(only_new.versions(), (std::vector<int>{2}));
  EXPECT_EQ(*only_new.open(new_sealed), "new secret");
  EXPECT_TRUE(only_new.open(old_sealed).error().is(core::ErrorCode::secret_unreadable));
  EXPECT_FALSE(v1.open(new_sealed).ok());
}

TEST(SecretBox, KeyFileIsCreatedPrivateOnceAndReadBack) {
  const auto dir = temp_dir("ts-keyfile-");
  const auto path = dir / "sub" / "secret.key";
  EXPECT_TRUE(SecretBox::load_key_file(path).error().is(core::ErrorCode::secret_key_missing));
  auto created = SecretBox::create_key_file(path);
  ASSERT_TRUE(created.ok()) << created.error().message;
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_TRUE(read_text(path).starts_with("1:"));
  // No temporary file is left beside it.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(path.parent_path()), {}), 1);
  // Creating again never replaces the key: the existing one is read.
  const auto sealed = created->seal("x");
  auto again = SecretBox::create_key_file(path);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again->open(sealed), "x");
  std::filesystem::remove_all(dir);
}

TEST(SecretBox, KeyFileRingRoundTripsAndOldFilesAreVersionOne) {
  const auto dir = temp_dir("ts-keyring-");
  const auto legacy_path = dir / "legacy.key";
  { std::ofstream(legacy_path) << std::string(64, 'a') << "\n"; }
  auto legacy = SecretBox::load_key_file(legacy_path);
  ASSERT_TRUE(legacy.ok()) << legacy.error().message;
  EXPECT_EQ(legacy->versions(), (std::vector<int>{1}));

  const auto ring = legacy->with_new_key().with_new_key();
  ASSERT_TRUE(ring.save_key_file(legacy_path).ok());
  EXPECT_EQ(read_text(legacy_path).substr(0, 2 + 64 + 1 + 2), "1:" + std::string(64, 'a') + "\n2:");
  auto reread = SecretBox::load_key_file(legacy_path);
  ASSERT_TRUE(reread.ok()) << reread.error().message;
  EXPECT_EQ(reread->versions(), (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(*reread->open(ring.seal("ring")), "ring");
  struct stat st {};
  ASSERT_EQ(::stat(legacy_path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  for (const std::string& bad : std::vector<std::string>{"", "nothex", "1:" + std::string(64, 'a') + "\n1:" + std::string(64, 'b'),
                                std::string(64, 'a') + "\n" + std::string(64, 'b'), "0:" + std::string(64, 'a'),
                                "x:" + std::string(64, 'a'), "1:" + std::string(62, 'a')}) {
    { std::ofstream(dir / "bad.key", std::ios::trunc) << bad; }
    auto box = SecretBox::load_key_file(dir / "bad.key");
    ASSERT_FALSE(box.ok()) << bad;
    EXPECT_TRUE(box.error().is(core::ErrorCode::secret_key_invalid)) << bad;
  }
  std::filesystem::remove_all(dir);
}

TEST(SecretBox, AKeyFileThatCannotBeWrittenIsAnErrorNamingTheCause) {
  const auto dir = temp_dir("ts-keyfail-");
  { std::ofstream(dir / "a-file") << "x"; }
  // The folder is a file: nothing can be created in it.
  auto created = SecretBox::create_key_file(dir / "a-file" / "secret.key");
  ASSERT_FALSE(created.ok());
  EXPECT_TRUE(created.error().is(core::ErrorCode::secret_key_unwritable));
  EXPECT_NE(created.error().message.find("a-file"), std::string::npos) << created.error().message;
  SecretBox::Key key{};
  EXPECT_TRUE(SecretBox(key).save_key_file(dir / "a-file" / "secret.key").error().is(
      core::ErrorCode::secret_key_unwritable));
  std::filesystem::remove_all(dir);
}

TEST(SecretBox, AWriteThatFailsHalfwayIsReportedAndLeavesNoFile) {
  // A file size limit makes write() fail the way a full disk does (EFBIG instead of ENOSPC).
  const auto dir = temp_dir("ts-keyfull-");
  const auto path = dir / "secret.key";
  rlimit old_limit{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old_limit), 0);
  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit tiny = old_limit;
  tiny.rlim_cur = 16;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &tiny), 0);
  auto created = SecretBox::create_key_file(path);
  ::setrlimit(RLIMIT_FSIZE, &old_limit);
  std::signal(SIGXFSZ, old_handler);
  ASSERT_FALSE(created.ok());
  EXPECT_TRUE(created.error().is(core::ErrorCode::secret_key_unwritable));
  EXPECT_NE(created.error().message.find("writing"), std::string::npos) << created.error().message;
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_TRUE(std::filesystem::is_empty(dir)) << "the temporary file was left behind";
  std::filesystem::remove_all(dir);
}

TEST(SecretBox, RejectsMalformedKeyFile) {
  const auto path = std::filesystem::temp_directory_path() / ("ts-badkey-" + random_hex(6));
  { std::ofstream(path) << "nothex"; }
  auto box = SecretBox::from_key_file(path);
  ASSERT_FALSE(box.ok());
  EXPECT_TRUE(box.error().is(core::ErrorCode::secret_key_invalid));
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace tenantsync::crypto
