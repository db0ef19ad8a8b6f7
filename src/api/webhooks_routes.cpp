// Outbound webhooks: create (the secret is in this answer only), list, read, change, delete,
// rotate the secret, the delivery log and redelivery.
#include "api/json.hpp"
#include "api/query_params.hpp"
#include "api/routes.hpp"
#include "api/webhooks_body.hpp"
#include "service/webhook_events.hpp"

namespace tenantsync::api {
namespace {

Json webhook_json(const store::WebhookEndpoint& e) {
  return {{"id", e.id.value()},
          {"url", e.url},
          {"events", service::split_patterns(e.events)},
          {"active", e.active},
          {"created_at", time_or_null(e.created_at_ms)},
          {"updated_at", time_or_null(e.updated_at_ms)}};
}

Json with_secret(const service::WebhookWithSecret& w) {
  Json out = webhook_json(w.endpoint);
  out["secret"] = w.secret;
  return out;
}

Json delivery_json(const store::WebhookDelivery& d) {
  return {{"id", d.id.value()},
          {"delivery_id", d.delivery_key},
          {"seq", d.change_seq},
          {"type", d.type},
          {"state", store::to_string(d.state)},
          {"attempts", d.attempts},
          {"next_attempt_at",
           d.state == store::DeliveryState::pending ? time_or_null(d.next_attempt_at_ms) : nullptr},
          {"retry_until", time_or_null(d.retry_until_ms)},
          {"last_status", d.last_status ? Json(*d.last_status) : Json(nullptr)},
          {"last_error", d.last_error.empty() ? Json(nullptr) : Json(d.last_error)},
          {"created_at", time_or_null(d.created_at_ms)},
          {"delivered_at", time_or_null(d.delivered_at_ms)},
          {"body", Json::parse(d.body, nullptr, false)}};
}

store::WebhookId webhook_id(const RequestContext& ctx) {
  return store::WebhookId{path_id(ctx.param("id"), "webhook")};
}

}  // namespace

void add_webhooks_routes(Router& router, service::WebhookService& webhooks) {
  router.add({"GET", "/api/webhooks", Access::admin, [&webhooks](RequestContext& ctx) {
                auto list = webhooks.list(ctx.session.tenant_id);
                if (!list.ok()) throw_error(list.error());
                Json items = Json::array();
                for (const auto& e : *list) items.push_back(webhook_json(e));
                return json_response(200, Json{{"items", items}});
              }});

  router.add({"POST", "/api/webhooks", Access::admin, [&webhooks](RequestContext& ctx) {
                const NewWebhookBody body = parse_new_webhook_body(ctx.request.body);
                auto created = webhooks.create(ctx.session.tenant_id, body.url, body.events);
                if (!created.ok()) throw_error(created.error());
                ctx.auditor.record("webhook_created", Json{{"webhook_id", created->endpoint.id.value()}, {"url", created->endpoint.url}});
                return json_response(201, with_secret(*created));
              }});

  router.add({"GET", "/api/webhooks/{id}", Access::admin, [&webhooks](RequestContext& ctx) {
                auto list = webhooks.list(ctx.session.tenant_id);
                if (!list.ok()) throw_error(list.error());
                const store::WebhookId id = webhook_id(ctx);
                for (const auto& e : *list) {
                  if (e.id == id) return json_response(200, webhook_json(e));
                }
                throw ApiError(404, core::ErrorCode::not_found,
                               "Webhook " + ctx.param("id") + " does not exist.");
              }});

  router.add({"PATCH", "/api/webhooks/{id}", Access::admin, [&webhooks](RequestContext& ctx) {
                const service::WebhookChange change = parse_webhook_change_body(ctx.request.body);
                auto updated = webhooks.update(ctx.session.tenant_id, webhook_id(ctx), change);
                if (!updated.ok()) throw_error(updated.error());
                ctx.auditor.record("webhook_changed", Json{{"webhook_id", updated->id.value()}, {"url", updated->url}});
                return json_response(200, webhook_json(*updated));
              }});

  router.add({"DELETE", "/api/webhooks/{id}", Access::admin, [&webhooks](RequestContext& ctx) {
                Status removed = webhooks.remove(ctx.session.tenant_id, webhook_id(ctx));
                if (!removed.ok()) throw_error(removed.error());
                ctx.auditor.record("webhook_deleted", Json{{"webhook_id", webhook_id(ctx).value()}});
                return json_response(200, Json{{"deleted", true}});
              }});

  router.add({"POST", "/api/webhooks/{id}/rotate-secret", Access::admin, [&webhooks](RequestContext& ctx) {
                auto rotated = webhooks.rotate_secret(ctx.session.tenant_id, webhook_id(ctx));
                if (!rotated.ok()) throw_error(rotated.error());
                ctx.auditor.record("webhook_secret_rotated", Json{{"webhook_id", rotated->endpoint.id.value()}});
                return json_response(200, with_secret(*rotated));
              }});

  router.add({"GET", "/api/webhooks/{id}/deliveries", Access::admin, [&webhooks](RequestContext& ctx) {
                std::optional<store::DeliveryId> before;
                if (auto id = id_param(ctx.request, "before")) before = store::DeliveryId{*id};
                const int limit = limit_param(ctx.request, 50, 200);
                auto list = webhooks.deliveries(ctx.session.tenant_id, webhook_id(ctx), limit, before);
                if (!list.ok()) throw_error(list.error());
                Json items = Json::array();
                for (const auto& d : *list) items.push_back(delivery_json(d));
                const bool more = static_cast<int>(list->size()) == limit;
                return json_response(
                    200, Json{{"items", items},
                              {"next_before",
                               more ? Json(std::to_string(list->back().id.value())) : Json(nullptr)}});
              }});

  router.add({"POST", "/api/webhooks/{id}/deliveries/{delivery}/redeliver", Access::admin,
              [&webhooks](RequestContext& ctx) {
                const store::DeliveryId delivery{path_id(ctx.param("delivery"), "delivery")};
                auto again = webhooks.redeliver(ctx.session.tenant_id, webhook_id(ctx), delivery);
                if (!again.ok()) throw_error(again.error());
                return json_response(202, delivery_json(*again));
              }});
}

}  // namespace tenantsync::api
