#include "api/webhooks_body.hpp"

#include "api/json.hpp"

namespace tenantsync::api {
namespace {

constexpr std::size_t kMaxEvents = 50;
constexpr std::size_t kMaxEventLength = 64;

std::vector<std::string> events_field(const Json& events) {
  if (!events.is_array() || events.size() > kMaxEvents) {
    throw ApiError(
        422, core::ErrorCode::validation_failed,
        "The field \"events\" must be an array of at most 50 event types such as \"lead.created\".");
  }
  std::vector<std::string> out;
  for (const Json& e : events) {
    if (!e.is_string() || e.get_ref<const std::string&>().size() > kMaxEventLength) {
      throw ApiError(422, core::ErrorCode::validation_failed,
                     "The field \"events\" must hold event types as strings such as \"lead.created\".");
    }
    out.push_back(e.get<std::string>());
  }
  return out;
}

}  // namespace

NewWebhookBody parse_new_webhook_body(std::string_view text) {
  const Json body = parse_object_body(text);
  NewWebhookBody out;
  out.url = require_string(body, "url");
  out.events = body.contains("events") && !body.at("events").is_null() ? events_field(body.at("events"))
                                                                       : std::vector<std::string>{"*"};
  return out;
}

service::WebhookChange parse_webhook_change_body(std::string_view text) {
  const Json body = parse_object_body(text);
  service::WebhookChange out;
  out.url = optional_string(body, "url");
  if (body.contains("events") && !body.at("events").is_null()) out.events = events_field(body.at("events"));
  out.active = optional_bool(body, "active");
  return out;
}

}  // namespace tenantsync::api
