#include "core/phone.hpp"

#include <algorithm>

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace tenantsync::core {
namespace {

struct PhoneCase {
  const char* raw;
  const char* region;
  const char* e164;  // "" when invalid
  const char* extension;
};

std::ostream& operator<<(std::ostream& os, const PhoneCase& c) {
  return os << "\"" << c.raw << "\" in " << c.region;
}

class PhoneTableTest : public ::testing::TestWithParam<PhoneCase> {};

TEST_P(PhoneTableTest, Normalizes) {
  const PhoneCase& c = GetParam();
  PhoneResult r = normalize_phone(c.raw, c.region);
  EXPECT_EQ(r.e164, c.e164);
  EXPECT_EQ(r.valid, std::string(c.e164) != "");
  EXPECT_EQ(r.extension, c.extension);
  EXPECT_EQ(r.raw, c.raw);  // the input is always kept as given
}

INSTANTIATE_TEST_SUITE_P(
    Table, PhoneTableTest,
    ::testing::Values(
        // US national formats
        PhoneCase{"(415) 555-2671", "US", "+14155552671", ""},
        PhoneCase{"415.555.2671", "US", "+14155552671", ""},
        PhoneCase{"1-415-555-2671", "US", "+14155552671", ""},
        PhoneCase{"415 555 2671", "US", "+14155552671", ""},
        PhoneCase{"+1 415 555 2671", "US", "+14155552671", ""},
        PhoneCase{"+14155552671", "US", "+14155552671", ""},
        PhoneCase{"  (650) 253-0000  ", "US", "+16502530000", ""},
        PhoneCase{"tel:+1-415-555-2671", "US", "+14155552671", ""},
        // international from the US
        PhoneCase{"+44 20 7946 0958", "US", "+442079460958", ""},
        PhoneCase{"0044 20 7946 0958", "US", "+442079460958", ""},
        PhoneCase{"011 44 20 7946 0958", "US", "+442079460958", ""},
        PhoneCase{"+91 98765 43210", "US", "+919876543210", ""},
        PhoneCase{"+49 30 901820", "US", "+4930901820", ""},
        // extensions are kept apart
        PhoneCase{"415-555-2671 x123", "US", "+14155552671", "123"},
        PhoneCase{"415-555-2671 ext. 123", "US", "+14155552671", "123"},
        PhoneCase{"(415) 555-2671 extension 42", "US", "+14155552671", "42"},
        // vanity
        PhoneCase{"1-800-FLOWERS", "US", "+18003569377", ""},
        // other default regions
        PhoneCase{"020 7946 0958", "GB", "+442079460958", ""},
        PhoneCase{"07400 123456", "GB", "+447400123456", ""},
        PhoneCase{"0044 7400 123456", "GB", "+447400123456", ""},
        PhoneCase{"098765 43210", "IN", "+919876543210", ""},
        PhoneCase{"9876543210", "IN", "+919876543210", ""}, PhoneCase{"030 901820", "DE", "+4930901820", ""},
        PhoneCase{"0171 1234567", "de", "+491711234567", ""},
        PhoneCase{"+1 415 555 2671", "GB", "+14155552671", ""},
        // invalid: kept raw, flagged
        PhoneCase{"123", "US", "", ""}, PhoneCase{"abc", "US", "", ""}, PhoneCase{"", "US", "", ""},
        PhoneCase{"555-2671", "US", "", ""}, PhoneCase{"+1 555 555 5555", "US", "", ""},
        PhoneCase{"00", "US", "", ""}, PhoneCase{"+", "US", "", ""},
        PhoneCase{"415 555 2671", "ZZ", "", ""},  // national number without a known region
        PhoneCase{"+14155552671", "", "+14155552671", ""}));

TEST(PhoneTest, OverlongInputIsRejectedButKept) {
  std::string huge(1000, '5');
  PhoneResult r = normalize_phone(huge);
  EXPECT_FALSE(r.valid);
  EXPECT_EQ(r.raw, huge);
}

TEST(PhoneTest, DefaultRegionIsUs) { EXPECT_EQ(normalize_phone("(415) 555-2671").e164, "+14155552671"); }

TEST(PhoneTest, IsSafeFromManyThreads) {
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&ok, t] {
      for (int i = 0; i < 200; ++i)
        if (normalize_phone("+44 20 7946 0958").e164 == "+442079460958") ++ok[t];
    });
  for (auto& th : threads) th.join();
  for (int n : ok) EXPECT_EQ(n, 200);
}

// Found by fuzz/phone: a control character, "00" read as "+" and letters. Whatever the library
// makes of it, a number called valid has an E.164 form of "+" and 2..15 digits.
TEST(PhoneTest, AValidNumberIsAlwaysEOneSixtyFourShaped) {
  const PhoneResult phone = normalize_phone(" \v004x4 20 CK7946 mmmmm8", "US");
  EXPECT_EQ(phone.raw, " \v004x4 20 CK7946 mmmmm8");
  if (phone.valid) {
    ASSERT_GE(phone.e164.size(), 3u);
    EXPECT_EQ(phone.e164[0], '+');
    EXPECT_TRUE(std::all_of(phone.e164.begin() + 1, phone.e164.end(), [](char c) { return c >= '0' && c <= '9'; }));
  } else {
    EXPECT_TRUE(phone.e164.empty());
  }
}

}  // namespace
}  // namespace tenantsync::core

