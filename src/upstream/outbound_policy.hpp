#pragma once
// Where the server agrees to send requests, as the operator configured it, and the checks a
// base URL a tenant gives must pass before it is saved. The transport (CurlHttpClient) enforces
// the same address rule again on every connection, so a name that resolves to a private address
// later is refused there.
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/run_types.hpp"

namespace tenantsync::upstream {

struct OutboundPolicy {
  /// TENANTSYNC_ALLOW_PRIVATE_UPSTREAMS: loopback and private networks may be called, and http.
  bool allow_private = false;
  /// The operator's Salesforce login URL: its host is accepted as an instance URL too (a
  /// simulator or an on-premise stand-in in tests and demos).
  std::string salesforce_login_url = "https://login.salesforce.com";
};

/// A base URL a tenant gives for `field`, in its canonical form (see upstream/base_url.hpp),
/// or: validation_failed (not a base URL), forbidden_upstream (http without the allow flag,
/// a host that is literally a loopback, private, link-local or reserved address, localhost).
Result<std::string> check_base_url(std::string_view url, std::string_view field,
                                   const OutboundPolicy& policy);

/// Whether `host` is one of Salesforce's own domains (salesforce.com, force.com, cloudforce.com,
/// database.com, salesforce.mil, or a name under one of them).
bool is_salesforce_host(std::string_view host);

/// A Salesforce instance URL: check_base_url, and an origin (no path) on a Salesforce host over
/// https, unless its host and port are the operator's login URL's. forbidden_upstream otherwise.
Result<std::string> check_salesforce_instance_url(std::string_view url, std::string_view field,
                                                  const OutboundPolicy& policy);

/// The instance URL a CRM connection is made with: for Salesforce, empty or an instance URL that
/// check_salesforce_instance_url accepts; HubSpot does not use one (its API is the operator's).
Status check_crm_instance_url(core::CrmProvider provider, std::string_view url, const OutboundPolicy& policy);

}  // namespace tenantsync::upstream
