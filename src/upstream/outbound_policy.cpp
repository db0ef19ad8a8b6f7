#include "upstream/outbound_policy.hpp"

#include <fmt/format.h>

#include <array>

#include "upstream/address_rule.hpp"
#include "upstream/base_url.hpp"

namespace tenantsync::upstream {
namespace {

// Salesforce's documented domains for orgs and their APIs (My Domain *.my.salesforce.com,
// legacy instances such as na1.salesforce.com, Government Cloud Plus *.my.salesforce.mil).
constexpr std::array<std::string_view, 5> kSalesforceDomains = {
    "salesforce.com", "force.com", "cloudforce.com", "database.com", "salesforce.mil"};

Error forbidden(std::string_view field, std::string_view why) {
  return make_error(
      core::ErrorCode::forbidden_upstream,
      fmt::format("The field \"{}\" {}. This server only calls public hosts over https.", field, why));
}

bool is_loopback_name(std::string_view host) { return host == "localhost" || host.ends_with(".localhost"); }

}  // namespace

Result<std::string> check_base_url(std::string_view url, std::string_view field,
                                   const OutboundPolicy& policy) {
  auto parsed = parse_base_url(url, field);
  if (!parsed.ok()) return parsed.error();
  if (parsed->scheme != "https" && !policy.allow_private) return forbidden(field, "must be an https:// URL");
  if (is_loopback_name(parsed->host) && !policy.allow_private) return forbidden(field, "names this machine");
  if (parsed->host_is_ip) {
    const auto address = parse_ip_literal(parsed->host);
    if (!address || !may_connect(*address, policy.allow_private))
      return forbidden(
          field, fmt::format("points at {}", describe(address ? classify(*address) : AddressKind::reserved)));
  }
  return parsed->to_string();
}

bool is_salesforce_host(std::string_view host) {
  for (std::string_view domain : kSalesforceDomains) {
    if (host == domain) return true;
    if (host.size() > domain.size() && host.ends_with(domain) && host[host.size() - domain.size() - 1] == '.')
      return true;
  }
  return false;
}

Result<std::string> check_salesforce_instance_url(std::string_view url, std::string_view field,
                                                  const OutboundPolicy& policy) {
  auto checked = check_base_url(url, field, policy);
  if (!checked.ok()) return checked.error();
  auto parsed = parse_base_url(*checked, field);
  if (!parsed.ok()) return parsed.error();
  if (auto login = parse_base_url(policy.salesforce_login_url, "salesforce_login_url");
      login.ok() && login->authority() == parsed->authority() && login->scheme == parsed->scheme)
    return checked;
  if (!is_salesforce_host(parsed->host))
    return forbidden(field, "must be a Salesforce instance such as https://yourdomain.my.salesforce.com");
  if (parsed->scheme != "https" || parsed->port || !parsed->path.empty())
    return forbidden(field, "must be an https:// origin with no port or path");
  return checked;
}

Status check_crm_instance_url(core::CrmProvider provider, std::string_view url,
                              const OutboundPolicy& policy) {
  if (provider != core::CrmProvider::salesforce || url.empty()) return {};
  auto checked = check_salesforce_instance_url(url, "instance_url", policy);
  if (!checked.ok()) return checked.error();
  return {};
}

}  // namespace tenantsync::upstream
