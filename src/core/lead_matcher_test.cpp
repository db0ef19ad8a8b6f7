#include "core/lead_matcher.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

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

// What a case expects of one match or assignment; a field left unset is not checked.
struct Expect {
  std::optional<bool> create{};
  std::optional<LeadRef> lead{};
  std::optional<MatchReason> reason{};
  std::optional<bool> lead_is_manual{};
  std::optional<bool> link_crm_id{};
  std::optional<std::optional<LeadRef>> email_conflict{};  ///< set to kNoConflict: there must be none
};

constexpr std::optional<LeadRef> kNoConflict;
// `.email_conflict = kNoConflict` asks for a check (that there is none), it does not skip it.
static_assert(std::optional<std::optional<LeadRef>>(kNoConflict).has_value());

// One contact of a case: matched (the index stays as it is) or assigned (the index records it).
struct Step {
  bool assign = false;
  ContactKeys contact;
  Expect expect;
};

Step assign(ContactKeys contact, Expect expect) { return Step{true, std::move(contact), expect}; }
Step match(ContactKeys contact, Expect expect) { return Step{false, std::move(contact), expect}; }

// An index built from `leads`, the contacts of a page in order, and how many leads the page then
// plans to create (unset: not checked).
struct MatchCase {
  std::string name;
  std::vector<ExistingLead> leads;
  std::vector<Step> steps;
  std::optional<std::size_t> planned_count{};
};

void PrintTo(const MatchCase& c, std::ostream* os) { *os << c.name; }

// Built when the tests run, not during static initialization: the normalizers run on every key.
std::vector<MatchCase> match_cases() {
  using R = MatchReason;
  return {
      // --- the de-duplication matrix ---
      // The contact changed phone and e-mail in the CRM: still the same lead, found by its id,
      // and already linked.
      {"SameContactByCrmId",
       {lead(7, "hubspot", "101", "+1 415 555 2671", "jane@example.com")},
       {assign(contact("hubspot", "101", "+1 650 253 0000", "jane@new.example.com"),
               {.create = false, .lead = existing(7), .reason = R::crm_id, .link_crm_id = false})}},
      {"PhoneOnly",
       {lead(3, "", "", "(415) 555-2671", "")},
       {assign(contact("hubspot", "101", "+14155552671", "other@example.com"),
               {.create = false,
                .lead = existing(3),
                .reason = R::phone,
                .link_crm_id = true,
                .email_conflict = kNoConflict})}},
      {"EmailOnly",
       {lead(4, "", "", "", "Jane@Example.com")},
       {assign(contact("salesforce", "003A", "not a phone", " jane@example.COM "),
               {.lead = existing(4), .reason = R::email, .link_crm_id = true})}},
      {"PhoneAndEmailPointAtDifferentLeadsPhoneWins",
       {lead(10, "", "", "", "jane@example.com"), lead(11, "", "", "415-555-2671", "")},
       {assign(contact("hubspot", "101", "(415) 555-2671", "jane@example.com"),
               {.lead = existing(11), .reason = R::phone, .email_conflict = existing(10)})}},
      // A second run finds the manual lead by the CRM id it now carries.
      {"ManualLeadThenCrmContactWithSamePhoneInAnotherFormat",
       {lead(5, "", "", "415.555.2671", "", /*manual=*/true)},
       {assign(contact("hubspot", "101", "+1 (415) 555-2671", ""), {.create = false,
                                                                    .lead = existing(5),
                                                                    .reason = R::phone,
                                                                    .lead_is_manual = true,
                                                                    .link_crm_id = true}),
        assign(contact("hubspot", "101", "", ""), {.lead = existing(5), .reason = R::crm_id})}},
      {"NoKeyMatchesCreates",
       {lead(1, "hubspot", "1", "+14155552671", "a@example.com")},
       {assign(contact("hubspot", "2", "+16502530000", "b@example.com"),
               {.create = true, .lead = planned(0), .reason = R::new_lead, .link_crm_id = true})},
       1},

      // --- the rules around the matrix ---
      // Two HubSpot contacts share the office switchboard: they are two people.
      {"LeadLinkedToAnotherCrmIdOfSameProviderIsNotTakenOver",
       {lead(1, "hubspot", "101", "+14155552671", "front@acme.com")},
       {assign(contact("hubspot", "102", "+14155552671", "front@acme.com"),
               {.create = true, .reason = R::new_lead})}},
      {"FallsBackToAnEligibleLeadWithTheSamePhone",
       {lead(1, "hubspot", "101", "+14155552671", ""), lead(2, "", "", "+14155552671", "", true)},
       {assign(contact("hubspot", "102", "+14155552671", ""), {.lead = existing(2), .reason = R::phone})}},
      {"LeadOfAnotherProviderIsUpdatedButKeepsItsLink",
       {lead(1, "salesforce", "003A", "+14155552671", "")},
       {assign(contact("hubspot", "101", "+14155552671", ""),
               {.lead = existing(1), .reason = R::phone, .link_crm_id = false})}},
      // Neither the lead's nor the contact's number parses: empty E.164 on both sides is not a match.
      {"UnparseablePhonesNeverMatchByPhone",
       {lead(1, "", "", "12345", "")},
       {assign(contact("hubspot", "101", "12345", ""), {.create = true})}},
      {"EmptyKeysNeverMatch",
       {lead(1, "", "", "", "")},
       {match(contact("hubspot", "101", "", ""), {.create = true}), match(ContactKeys{}, {.create = true}),
        match(ContactKeys{"hubspot", "", "", ""}, {.create = true})}},
      {"CrmIdIsPerProvider",
       {lead(1, "salesforce", "101", "", "")},
       {match(contact("hubspot", "101", "", ""), {.create = true})}},
      {"OldestLeadWinsATie",
       {lead(9, "", "", "+14155552671", ""), lead(2, "", "", "+14155552671", "")},
       {match(contact("hubspot", "1", "+14155552671", ""), {.lead = existing(2)})}},
      {"MatchDoesNotChangeTheIndex",
       {},
       {match(contact("hubspot", "1", "+14155552671", ""), {.lead = planned(0)}),
        match(contact("hubspot", "1", "+14155552671", ""), {.lead = planned(0)})},
       0},

      // --- within one page ---
      // The third contact is found by the e-mail the second one brought.
      {"OnePageNeverCreatesTwoLeadsForOnePhone",
       {},
       {assign(contact("", "", "(415) 555-2671", ""), {.create = true}),
        assign(contact("", "", "+1 415 555 2671", "x@example.com"),
               {.create = false, .lead = planned(0), .reason = R::phone}),
        assign(contact("", "", "", "X@example.com"), {.lead = planned(0), .reason = R::email})},
       1},
      {"OnePageNeverCreatesTwoLeadsForOneEmail",
       {},
       {assign(contact("hubspot", "", "", "jane@example.com"), {.create = true}),
        assign(contact("hubspot", "", "", "JANE@example.com"), {.lead = planned(0)})},
       1},
      {"OnePageWithTheSameCrmIdTwiceCreatesOnce",
       {},
       {assign(contact("hubspot", "101", "", ""), {.create = true}),
        assign(contact("hubspot", "101", "", ""), {.lead = planned(0), .reason = R::crm_id})}},
      // Two CRM contacts of one page sharing a number are still two leads.
      {"PlannedLeadsKeepTheSameProviderRule",
       {},
       {assign(contact("hubspot", "101", "+14155552671", ""), {.lead = planned(0)}),
        assign(contact("hubspot", "102", "+14155552671", ""), {.create = true, .lead = planned(1)})},
       2},
      {"ALinkMadeInThePageBlocksOtherContactsOfTheProvider",
       {lead(5, "", "", "+14155552671", "", true)},
       {assign(contact("hubspot", "101", "+14155552671", ""), {.lead = existing(5)}),
        assign(contact("hubspot", "102", "+14155552671", ""), {.create = true})}},
      // The second, manual-style contact (no CRM id) has only the phone the first one brought.
      {"ExistingLeadFoundByNewKeysLaterInThePage",
       {lead(5, "", "", "", "jane@example.com")},
       {assign(contact("hubspot", "101", "+14155552671", "jane@example.com"), {.lead = existing(5)}),
        assign(contact("", "", "415-555-2671", ""), {.lead = existing(5), .reason = R::phone})}},
  };
}

// Checks `actual` against `expected` when the case sets it.
template <typename T>
void expect_if_set(const char* what, const T& actual, const std::optional<T>& expected) {
  if (expected) {
    EXPECT_EQ(actual, *expected) << what;
  }
}

class LeadMatcherCaseTest : public ::testing::TestWithParam<MatchCase> {};

TEST_P(LeadMatcherCaseTest, MatchesAsExpected) {
  const MatchCase& c = GetParam();
  LeadIndex index(c.leads);
  for (std::size_t i = 0; i < c.steps.size(); ++i) {
    SCOPED_TRACE("contact " + std::to_string(i + 1));
    const Step& step = c.steps[i];
    const LeadMatch m = step.assign ? index.assign(step.contact) : index.match(step.contact);
    const Expect& e = step.expect;
    expect_if_set("create", m.create, e.create);
    expect_if_set("lead", m.lead, e.lead);
    expect_if_set("reason", m.reason, e.reason);
    expect_if_set("lead_is_manual", m.lead_is_manual, e.lead_is_manual);
    expect_if_set("link_crm_id", m.link_crm_id, e.link_crm_id);
    expect_if_set("email_conflict", m.email_conflict, e.email_conflict);
  }
  expect_if_set("planned_count", index.planned_count(), c.planned_count);
}

INSTANTIATE_TEST_SUITE_P(LeadMatcherTest, LeadMatcherCaseTest, ::testing::ValuesIn(match_cases()),
                         [](const ::testing::TestParamInfo<MatchCase>& info) { return info.param.name; });

}  // namespace
}  // namespace tenantsync::core
