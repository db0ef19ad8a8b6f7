#include "upstream/crm/stored_credentials.hpp"

#include <nlohmann/json.hpp>

#include "core/error_code.hpp"

namespace tenantsync::upstream {

std::string to_json(const StoredCredentials& credentials) {
  nlohmann::json out = nlohmann::json::object();
  if (!credentials.access_token.empty()) out["access_token"] = credentials.access_token;
  if (!credentials.refresh_token.empty()) out["refresh_token"] = credentials.refresh_token;
  if (!credentials.instance_url.empty()) out["instance_url"] = credentials.instance_url;
  if (credentials.expires_at_ms != 0) out["expires_at_ms"] = credentials.expires_at_ms;
  return out.dump();
}

Result<StoredCredentials> parse_stored_credentials(std::string_view json) {
  const auto stored = nlohmann::json::parse(json.empty() ? std::string_view("{}") : json, nullptr, false);
  if (!stored.is_object())
    return make_error(core::ErrorCode::needs_reauth, "The stored CRM credentials are unreadable.");
  auto text = [&](const char* field) {
    auto it = stored.find(field);
    return it != stored.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  StoredCredentials credentials;
  credentials.access_token = text("access_token");
  credentials.refresh_token = text("refresh_token");
  credentials.instance_url = text("instance_url");
  if (auto it = stored.find("expires_at_ms"); it != stored.end() && it->is_number_integer())
    credentials.expires_at_ms = it->get<std::int64_t>();
  return credentials;
}

}  // namespace tenantsync::upstream
