// Phones parsed once: which stored forms stand for a parse.
#include "sync/stored_phone_forms.hpp"

#include <gtest/gtest.h>

#include "sync/lead_contact.hpp"

namespace tenantsync::sync {
namespace {

upstream::CrmContact with_phone(const std::string& phone, const std::string& mobile = "") {
  upstream::CrmContact contact;
  contact.crm_id = "1";
  contact.fields.phone = phone;
  contact.fields.mobile_phone = mobile;
  return contact;
}

// The form normalize_contact_phones gives `phone` ("e164 | valid").
std::string form_of(const upstream::CrmContact& contact, const std::string& region,
                    const std::vector<store::StoredPhone>& stored) {
  std::vector<upstream::CrmContact> contacts{contact};
  normalize_contact_phones(contacts, region, stored);
  const auto& form = contacts.front().normalized_phone;
  if (!form) return "none";
  return form->e164 + " | " + (form->valid ? "valid" : "invalid");
}

// A stored form no parse would give, so a test can tell a reused form from a parsed one.
store::StoredPhone planted(const std::string& raw, const std::string& region) {
  return store::StoredPhone{raw, "+15550001111", true, region};
}

TEST(StoredPhoneForms, WithoutStoredFormsEveryNumberIsParsedInTheRegion) {
  EXPECT_EQ(form_of(with_phone(" (202) 555-0100 "), "US", {}), "+12025550100 | valid");
  EXPECT_EQ(form_of(with_phone("", "020 7946 0958"), "GB", {}), "+442079460958 | valid");
  EXPECT_EQ(form_of(with_phone("call me"), "US", {}), " | invalid");
  EXPECT_EQ(form_of(with_phone(""), "US", {}), " | invalid");
}

TEST(StoredPhoneForms, AFormOfTheSameRawNumberInTheSameRegionIsTaken) {
  // The raw number is compared trimmed, as set_contact stores it.
  EXPECT_EQ(form_of(with_phone(" (202) 555-0100"), "US", {planted("(202) 555-0100", "US")}), "+15550001111 | valid");
  // An invalid number's stored result is taken too.
  EXPECT_EQ(form_of(with_phone("12"), "US", {store::StoredPhone{"12", "", false, "US"}}), " | invalid");
}

TEST(StoredPhoneForms, ANationalNumberOfAnotherOrUnknownRegionIsParsedAgain) {
  EXPECT_EQ(form_of(with_phone("020 7946 0958"), "GB", {planted("020 7946 0958", "US")}), "+442079460958 | valid");
  // "": stored before the region was kept (migration 0011).
  EXPECT_EQ(form_of(with_phone("(202) 555-0100"), "US", {planted("(202) 555-0100", "")}), "+12025550100 | valid");
  // Another raw number is never taken, however close.
  EXPECT_EQ(form_of(with_phone("(202) 555-0101"), "US", {planted("(202) 555-0100", "US")}), "+12025550101 | valid");
}

TEST(StoredPhoneForms, AnInternationalNumberIsTheSameInEveryRegion) {
  // What makes the rule safe: "+…" parses alike whatever the default region.
  for (const char* region : {"US", "GB", "FR", "IN", ""})
    EXPECT_EQ(normalized_phone("+44 20 7946 0958", region).e164, "+442079460958") << region;
  EXPECT_EQ(form_of(with_phone("+44 20 7946 0958"), "US", {planted("+44 20 7946 0958", "GB")}),
            "+15550001111 | valid");
  EXPECT_EQ(form_of(with_phone("+44 20 7946 0958"), "US", {planted("+44 20 7946 0958", "")}),
            "+15550001111 | valid");
}

TEST(StoredPhoneForms, EachContactOfAPageGetsItsOwnForm) {
  std::vector<upstream::CrmContact> page{with_phone("(202) 555-0100"), with_phone("(202) 555-0199"),
                                         with_phone("")};
  normalize_contact_phones(page, "US", {planted("(202) 555-0100", "US")});
  ASSERT_TRUE(page[0].normalized_phone && page[1].normalized_phone && page[2].normalized_phone);
  EXPECT_EQ(page[0].normalized_phone->e164, "+15550001111");
  EXPECT_EQ(page[1].normalized_phone->e164, "+12025550199");
  EXPECT_EQ(page[2].normalized_phone->e164, "");
}

}  // namespace
}  // namespace tenantsync::sync
