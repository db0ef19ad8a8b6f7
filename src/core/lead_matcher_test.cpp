#include "core/lead_matcher.hpp"

#include <gtest/gtest.h>

#include "core/email.hpp"
#include "core/phone.hpp"

namespace tenantsync::core {
namespace {

// Keys as the CRM sync builds them: raw CRM values through the normalizers.
ContactKeys contact(std::string provider, std::string crm_id, std::string_view phone_raw,
                    std::string_view email_raw) {
  return ContactKeys{std::move(provider), std::move(crm_id), normalize_phone(phone_raw).e164,
                     normalize_email(email_raw)};
}

ExistingLead lead(std::int64_t id, std::string provider, std::string crm_id, std::string_view phone_raw,
                  std::string_view email_raw, bool manual = false) {
  return ExistingLead{id,
                      std::move(provider),
                      std::move(crm_id),
                      normalize_phone(phone_raw).e164,
                      normalize_email(email_raw),
                      manual};
}

LeadRef existing(std::int64_t id) { return LeadRef{false, id}; }
LeadRef planned(std::int64_t index) { return LeadRef{true, index}; }

TEST(LeadMatcherTest, ReasonNames) {
  EXPECT_EQ(to_string(MatchReason::crm_id), "crm_id");
  EXPECT_EQ(to_string(MatchReason::phone), "phone");
  EXPECT_EQ(to_string(MatchReason::email), "email");
  EXPECT_EQ(to_string(MatchReason::new_lead), "new");
}

// --- the de-duplication matrix ---

TEST(LeadMatcherTest, SameContactByCrmId) {
  LeadIndex index({lead(7, "hubspot", "101", "+1 415 555 2671", "jane@example.com")});
  // The contact changed phone and e-mail in the CRM: still the same lead, found by its id.
  LeadMatch m = index.assign(contact("hubspot", "101", "+1 650 253 0000", "jane@new.example.com"));
  EXPECT_FALSE(m.create);
  EXPECT_EQ(m.lead, existing(7));
  EXPECT_EQ(m.reason, MatchReason::crm_id);
  EXPECT_FALSE(m.link_crm_id);  // already linked
}

TEST(LeadMatcherTest, PhoneOnly) {
  LeadIndex index({lead(3, "", "", "(415) 555-2671", "")});
  LeadMatch m = index.assign(contact("hubspot", "101", "+14155552671", "other@example.com"));
  EXPECT_FALSE(m.create);
  EXPECT_EQ(m.lead, existing(3));
  EXPECT_EQ(m.reason, MatchReason::phone);
  EXPECT_TRUE(m.link_crm_id);
  EXPECT_FALSE(m.email_conflict.has_value());
}

TEST(LeadMatcherTest, EmailOnly) {
  LeadIndex index({lead(4, "", "", "", "Jane@Example.com")});
  LeadMatch m = index.assign(contact("salesforce", "003A", "not a phone", " jane@example.COM "));
  EXPECT_EQ(m.lead, existing(4));
  EXPECT_EQ(m.reason, MatchReason::email);
  EXPECT_TRUE(m.link_crm_id);
}

TEST(LeadMatcherTest, PhoneAndEmailPointAtDifferentLeadsPhoneWins) {
  LeadIndex index({lead(10, "", "", "", "jane@example.com"), lead(11, "", "", "415-555-2671", "")});
  LeadMatch m = index.assign(contact("hubspot", "101", "(415) 555-2671", "jane@example.com"));
  EXPECT_EQ(m.lead, existing(11));
  EXPECT_EQ(m.reason, MatchReason::phone);
  ASSERT_TRUE(m.email_conflict.has_value());
  EXPECT_EQ(*m.email_conflict, existing(10));
}

TEST(LeadMatcherTest, ManualLeadThenCrmContactWithSamePhoneInAnotherFormat) {
  LeadIndex index({lead(5, "", "", "415.555.2671", "", /*manual=*/true)});
  LeadMatch m = index.assign(contact("hubspot", "101", "+1 (415) 555-2671", ""));
  EXPECT_FALSE(m.create);
  EXPECT_EQ(m.lead, existing(5));
  EXPECT_EQ(m.reason, MatchReason::phone);
  EXPECT_TRUE(m.lead_is_manual);
  EXPECT_TRUE(m.link_crm_id);
  // A second run finds it by the CRM id it now carries.
  LeadMatch again = index.assign(contact("hubspot", "101", "", ""));
  EXPECT_EQ(again.lead, existing(5));
  EXPECT_EQ(again.reason, MatchReason::crm_id);
}

TEST(LeadMatcherTest, NoKeyMatchesCreates) {
  LeadIndex index({lead(1, "hubspot", "1", "+14155552671", "a@example.com")});
  LeadMatch m = index.assign(contact("hubspot", "2", "+16502530000", "b@example.com"));
  EXPECT_TRUE(m.create);
  EXPECT_EQ(m.lead, planned(0));
  EXPECT_EQ(m.reason, MatchReason::new_lead);
  EXPECT_TRUE(m.link_crm_id);
  EXPECT_EQ(index.planned_count(), 1u);
}

// --- the rules around the matrix ---

TEST(LeadMatcherTest, LeadLinkedToAnotherCrmIdOfSameProviderIsNotTakenOver) {
  // Two HubSpot contacts share the office switchboard: they are two people.
  LeadIndex index({lead(1, "hubspot", "101", "+14155552671", "front@acme.com")});
  LeadMatch m = index.assign(contact("hubspot", "102", "+14155552671", "front@acme.com"));
  EXPECT_TRUE(m.create);
  EXPECT_EQ(m.reason, MatchReason::new_lead);
}

TEST(LeadMatcherTest, FallsBackToAnEligibleLeadWithTheSamePhone) {
  LeadIndex index({lead(1, "hubspot", "101", "+14155552671", ""), lead(2, "", "", "+14155552671", "", true)});
  LeadMatch m = index.assign(contact("hubspot", "102", "+14155552671", ""));
  EXPECT_EQ(m.lead, existing(2));
  EXPECT_EQ(m.reason, MatchReason::phone);
}

TEST(LeadMatcherTest, LeadOfAnotherProviderIsUpdatedButKeepsItsLink) {
  LeadIndex index({lead(1, "salesforce", "003A", "+14155552671", "")});
  LeadMatch m = index.assign(contact("hubspot", "101", "+14155552671", ""));
  EXPECT_EQ(m.lead, existing(1));
  EXPECT_EQ(m.reason, MatchReason::phone);
  EXPECT_FALSE(m.link_crm_id);
}

TEST(LeadMatcherTest, UnparseablePhonesNeverMatchByPhone) {
  // Neither the lead's nor the contact's number parses: empty E.164 on both sides is not a match.
  LeadIndex index({lead(1, "", "", "12345", "")});
  LeadMatch m = index.assign(contact("hubspot", "101", "12345", ""));
  EXPECT_TRUE(m.create);
}

TEST(LeadMatcherTest, EmptyKeysNeverMatch) {
  LeadIndex index({lead(1, "", "", "", "")});
  EXPECT_TRUE(index.match(contact("hubspot", "101", "", "")).create);
  EXPECT_TRUE(index.match(ContactKeys{}).create);
  EXPECT_TRUE(index.match(ContactKeys{"hubspot", "", "", ""}).create);
}

TEST(LeadMatcherTest, CrmIdIsPerProvider) {
  LeadIndex index({lead(1, "salesforce", "101", "", "")});
  EXPECT_TRUE(index.match(contact("hubspot", "101", "", "")).create);
}

TEST(LeadMatcherTest, OldestLeadWinsATie) {
  LeadIndex index({lead(9, "", "", "+14155552671", ""), lead(2, "", "", "+14155552671", "")});
  EXPECT_EQ(index.match(contact("hubspot", "1", "+14155552671", "")).lead, existing(2));
}

TEST(LeadMatcherTest, MatchDoesNotChangeTheIndex) {
  LeadIndex index;
  EXPECT_EQ(index.match(contact("hubspot", "1", "+14155552671", "")).lead, planned(0));
  EXPECT_EQ(index.match(contact("hubspot", "1", "+14155552671", "")).lead, planned(0));
  EXPECT_EQ(index.planned_count(), 0u);
}

// --- within one page ---

TEST(LeadMatcherTest, OnePageNeverCreatesTwoLeadsForOnePhone) {
  LeadIndex index;
  LeadMatch first = index.assign(contact("", "", "(415) 555-2671", ""));
  LeadMatch second = index.assign(contact("", "", "+1 415 555 2671", "x@example.com"));
  LeadMatch third = index.assign(contact("", "", "", "X@example.com"));
  EXPECT_TRUE(first.create);
  EXPECT_FALSE(second.create);
  EXPECT_EQ(second.lead, planned(0));
  EXPECT_EQ(second.reason, MatchReason::phone);
  EXPECT_EQ(third.lead, planned(0));  // found by the e-mail the second contact brought
  EXPECT_EQ(third.reason, MatchReason::email);
  EXPECT_EQ(index.planned_count(), 1u);
}

TEST(LeadMatcherTest, OnePageNeverCreatesTwoLeadsForOneEmail) {
  LeadIndex index;
  EXPECT_TRUE(index.assign(contact("hubspot", "", "", "jane@example.com")).create);
  LeadMatch m = index.assign(contact("hubspot", "", "", "JANE@example.com"));
  EXPECT_EQ(m.lead, planned(0));
  EXPECT_EQ(index.planned_count(), 1u);
}

TEST(LeadMatcherTest, OnePageWithTheSameCrmIdTwiceCreatesOnce) {
  LeadIndex index;
  EXPECT_TRUE(index.assign(contact("hubspot", "101", "", "")).create);
  LeadMatch m = index.assign(contact("hubspot", "101", "", ""));
  EXPECT_EQ(m.lead, planned(0));
  EXPECT_EQ(m.reason, MatchReason::crm_id);
}

TEST(LeadMatcherTest, PlannedLeadsKeepTheSameProviderRule) {
  // Two CRM contacts of one page sharing a number are still two leads.
  LeadIndex index;
  EXPECT_EQ(index.assign(contact("hubspot", "101", "+14155552671", "")).lead, planned(0));
  LeadMatch m = index.assign(contact("hubspot", "102", "+14155552671", ""));
  EXPECT_TRUE(m.create);
  EXPECT_EQ(m.lead, planned(1));
  EXPECT_EQ(index.planned_count(), 2u);
}

TEST(LeadMatcherTest, ALinkMadeInThePageBlocksOtherContactsOfTheProvider) {
  LeadIndex index({lead(5, "", "", "+14155552671", "", true)});
  EXPECT_EQ(index.assign(contact("hubspot", "101", "+14155552671", "")).lead, existing(5));
  LeadMatch m = index.assign(contact("hubspot", "102", "+14155552671", ""));
  EXPECT_TRUE(m.create);
}

TEST(LeadMatcherTest, ExistingLeadFoundByNewKeysLaterInThePage) {
  LeadIndex index({lead(5, "", "", "", "jane@example.com")});
  EXPECT_EQ(index.assign(contact("hubspot", "101", "+14155552671", "jane@example.com")).lead, existing(5));
  // A manual-style contact (no CRM id) with only the phone now finds lead 5.
  LeadMatch m = index.assign(contact("", "", "415-555-2671", ""));
  EXPECT_EQ(m.lead, existing(5));
  EXPECT_EQ(m.reason, MatchReason::phone);
}

}  // namespace
}  // namespace tenantsync::core
