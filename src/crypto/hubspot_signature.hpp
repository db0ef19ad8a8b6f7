#pragma once
// HubSpot's webhook signature, version 3: base64(HMAC-SHA256(client secret, method + full request
// URI + raw body + timestamp)). The receiver (api/hooks_routes via service/hook_service) computes
// it again and compares in constant time.
#include <string>
#include <string_view>

namespace tenantsync::crypto {

/// The X-HubSpot-Signature-v3 value HubSpot sends for this request.
std::string hubspot_signature_v3(std::string_view client_secret, std::string_view method, std::string_view uri,
                                 std::string_view body, std::string_view timestamp);

}  // namespace tenantsync::crypto
