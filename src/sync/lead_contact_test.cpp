// The one contact normalizer that CRM and manual leads share.
#include "sync/lead_contact.hpp"

#include <gtest/gtest.h>

namespace tenantsync::sync {
namespace {

TEST(SetContact, TrimsNormalizesAndParsesThePhoneInTheRegion) {
  store::Lead lead;
  set_contact(lead, {"  Grace Hopper ", " Grace@Example.COM ", " (202) 555-0100 "}, "US");
  EXPECT_EQ(lead.name, "Grace Hopper");
  EXPECT_EQ(lead.email, "Grace@Example.COM");
  EXPECT_EQ(lead.email_norm, "grace@example.com");
  EXPECT_EQ(lead.phone_raw, "(202) 555-0100");
  EXPECT_EQ(lead.phone_e164, "+12025550100");
  EXPECT_TRUE(lead.phone_valid);
}

TEST(SetContact, ANamelessLeadIsNamedByItsEmailThenItsPhone) {
  store::Lead by_email;
  set_contact(by_email, {" ", "a@b.co", "+44 20 7946 0958"}, "US");
  EXPECT_EQ(by_email.name, "a@b.co");
  store::Lead by_phone;
  set_contact(by_phone, {"", "", "+44 20 7946 0958"}, "US");
  EXPECT_EQ(by_phone.name, "+44 20 7946 0958");
}

TEST(SetContact, AnUnparseablePhoneIsKeptRawAndFlagged) {
  store::Lead lead;
  set_contact(lead, {"X", "", "call me"}, "US");
  EXPECT_EQ(lead.phone_raw, "call me");
  EXPECT_EQ(lead.phone_e164, "");
  EXPECT_FALSE(lead.phone_valid);
}

}  // namespace
}  // namespace tenantsync::sync
