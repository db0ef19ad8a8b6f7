#pragma once
// The bodies of the webhook routes: POST /api/webhooks {url, events} and PATCH
// /api/webhooks/{id} {url?, events?, active?}. Throws ApiError 400/422 naming the field.
#include <string_view>

#include "service/webhook_service.hpp"

namespace tenantsync::api {

struct NewWebhookBody {
  std::string url;
  std::vector<std::string> events;
};

/// url required; events optional (default ["*"]), an array of at most 50 strings.
NewWebhookBody parse_new_webhook_body(std::string_view body);
/// Every field optional.
service::WebhookChange parse_webhook_change_body(std::string_view body);

}  // namespace tenantsync::api
