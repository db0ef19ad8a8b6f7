#pragma once
// Reading HubSpot's JSON answers (contact pages, owners, account details, errors) into CRM
// types and stable errors; no I/O. HubSpotClient holds the conversation.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "upstream/crm/crm_client.hpp"

namespace tenantsync::upstream::hubspot {

/// core::ErrorCode::upstream_malformed: HubSpot sent `what` that could not be read (`detail`).
Error malformed(std::string_view what, std::string_view detail);
/// The stable error for a non-2xx answer (401/403 key rejected, 404, 429, 5xx, other), quoting
/// HubSpot's message when it sent one.
Error status_error(int status, const std::string& body, const std::string& path);
/// The policyName of a 429 body (DAILY, TEN_SECONDLY_ROLLING); empty when unreadable.
std::string rate_limit_policy(const std::string& body);

struct ContactPage {
  std::vector<CrmContact> contacts;
  std::vector<std::string> warnings;  ///< rows skipped or cut, for the run
  std::string next_after;             ///< empty on the last page
  std::optional<std::int64_t> total;  ///< search: how many contacts the query matches
};
/// A page of the list or search API. Rows without an id are skipped with a warning; property
/// values that are not strings are left out, huge ones cut to 64 KiB.
Result<ContactPage> parse_contact_page(const std::string& body, const std::string& notes_property);

struct OwnerPage {
  std::vector<CrmOwner> owners;
  std::string next_after;
};
/// A page of the owners API; `archived` is what was asked for, an owner's own flag wins.
Result<OwnerPage> parse_owner_page(const std::string& body, bool archived);

/// The account details: portalId and timeZone.
Result<CrmAccount> parse_account(const std::string& body);

}  // namespace tenantsync::upstream::hubspot
