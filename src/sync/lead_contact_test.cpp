// The one contact normalizer that CRM and manual leads share.
#include "sync/lead_contact.hpp"

#include <gtest/gtest.h>

namespace tenantsync::sync {
namespace {

// name | email | email_norm | phone_raw | phone_e164 | valid, as set from `details`.
std::string contact_of(const ContactDetails& details, const std::string& region = "US") {
  store::Lead lead;
  set_contact(lead, details, region);
  return lead.name + " | " + lead.email + " | " + lead.email_norm + " | " + lead.phone_raw + " | " +
         lead.phone_e164 + " | " + (lead.phone_valid ? "valid" : "invalid");
}

TEST(SetContact, TrimsNormalizesAndParsesThePhoneInTheRegion) {
  EXPECT_EQ(contact_of({"  Grace Hopper ", " Grace@Example.COM ", " (202) 555-0100 "}),
            "Grace Hopper | grace@example.com | grace@example.com | (202) 555-0100 | +12025550100 | valid");
}

TEST(SetContact, ANamelessLeadIsNamedByItsEmailThenItsPhone) {
  EXPECT_EQ(contact_of({" ", "a@b.co", ""}), "a@b.co | a@b.co | a@b.co |  |  | invalid");
  EXPECT_EQ(contact_of({"", "", "+44 20 7946 0958"}),
            "+44 20 7946 0958 |  |  | +44 20 7946 0958 | +442079460958 | valid");
}

TEST(SetContact, ThePhoneKeepsTheRegionItsFormWasMadeIn) {
  store::Lead lead;
  set_contact(lead, {"Ann", "", " 020 7946 0958 "}, "GB");
  EXPECT_EQ(lead.phone_e164, "+442079460958");
  EXPECT_EQ(lead.phone_region, "GB");
  set_contact(lead, {"Ann", "", ""}, "GB");
  EXPECT_EQ(lead.phone_region, "");
}

TEST(SetContact, AnUnparseablePhoneIsKeptRawAndFlagged) {
  EXPECT_EQ(contact_of({"X", "", "call me"}), "X |  |  | call me |  | invalid");
}

}  // namespace
}  // namespace tenantsync::sync
