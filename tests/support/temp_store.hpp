#pragma once
// A migrated SQLite store and a secret box in a fresh temporary folder, for tests that run the
// engine or the whole API in-process.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "crypto/crypto.hpp"
#include "store/store.hpp"

namespace tenantsync::testing_support {

/// Creates `<tmp>/<prefix><random>/` with db.sqlite (migrated) and secret.key in it. Fails the
/// calling test (call it under ASSERT_NO_FATAL_FAILURE) when either cannot be made.
inline void open_temp_store(const std::string& prefix, std::filesystem::path& dir,
                            std::unique_ptr<store::Store>& store, std::unique_ptr<crypto::SecretBox>& secrets) {
  dir = std::filesystem::temp_directory_path() / (prefix + crypto::random_hex(6));
  std::filesystem::create_directories(dir);
  auto opened = store::open_store("sqlite:" + (dir / "db.sqlite").string());
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  store = std::move(opened).value();
  ASSERT_TRUE(store->migrate().ok());
  auto box = crypto::SecretBox::from_key_file(dir / "secret.key");
  ASSERT_TRUE(box.ok());
  secrets = std::make_unique<crypto::SecretBox>(*box);
}

}  // namespace tenantsync::testing_support
