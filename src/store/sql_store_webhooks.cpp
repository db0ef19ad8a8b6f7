// SqlStore: the change feed (written by the triggers of migration 0006) and outbound webhooks:
// endpoints, their deliveries, and the lease an instance holds while it sends to an endpoint.
#include <algorithm>

#include "store/sql_store.hpp"
#include "store/sql_store_errors.hpp"
#include "store/sql_store_rows.hpp"

namespace tenantsync::store {

using sql::Access;

const char* to_string(DeliveryState state) {
  switch (state) {
    case DeliveryState::pending:
      return "pending";
    case DeliveryState::succeeded:
      return "succeeded";
    case DeliveryState::failed:
      return "failed";
  }
  return "pending";
}

namespace {

constexpr int kMaxChangesPage = 1000;

constexpr const char* kChangeColumns =
    "seq, tenant_id, type, object_kind, object_id, upstream_id, detail, occurred_at";

Change change_from(const sql::Row& row) {
  Change c;
  sql::read_row(row, c.seq, c.tenant_id, c.type, c.object_kind, c.object_id, c.upstream_id, c.detail,
                c.occurred_at_ms);
  return c;
}

constexpr const char* kEndpointColumns =
    "id, tenant_id, url, events, secret_cipher, active, enqueued_seq, created_at, updated_at";

WebhookEndpoint endpoint_from(const sql::Row& row) {
  WebhookEndpoint e;
  sql::read_row(row, e.id, e.tenant_id, e.url, e.events, e.secret_cipher, e.active, e.enqueued_seq,
                e.created_at_ms, e.updated_at_ms);
  return e;
}

constexpr const char* kDeliveryColumns =
    "id, tenant_id, endpoint_id, change_seq, delivery_key, type, body, state, attempts, next_attempt_at, "
    "retry_until, last_status, last_error, created_at, delivered_at";

DeliveryState delivery_state(const std::string& text) {
  if (text == "succeeded") return DeliveryState::succeeded;
  if (text == "failed") return DeliveryState::failed;
  return DeliveryState::pending;
}

WebhookDelivery delivery_from(const sql::Row& row) {
  WebhookDelivery d;
  std::string state;
  sql::read_row(row, d.id, d.tenant_id, d.endpoint_id, d.change_seq, d.delivery_key, d.type, d.body, state,
                d.attempts, d.next_attempt_at_ms, d.retry_until_ms, d.last_status, d.last_error,
                d.created_at_ms, d.delivered_at_ms);
  d.state = delivery_state(state);
  return d;
}

std::string placeholders(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += i == 0 ? "?" : ", ?";
  return out;
}

std::string select_endpoint(const char* where) {
  return std::string("SELECT ") + kEndpointColumns + " FROM webhook_endpoints " + where;
}

}  // namespace

// --- the change feed ---

Result<std::vector<Change>> SqlStore::list_changes(TenantId tenant_id, const ChangeQuery& query) {
  std::string sql = std::string("SELECT ") + kChangeColumns + " FROM changes WHERE tenant_id = ? AND seq > ?";
  sql::Params params{tenant_id.value(), query.after_seq};
  if (!query.types.empty() || !query.kinds.empty()) {
    std::string any;
    if (!query.types.empty()) any += "type IN (" + placeholders(query.types.size()) + ")";
    if (!query.kinds.empty()) {
      any += std::string(any.empty() ? "" : " OR ") + "object_kind IN (" + placeholders(query.kinds.size()) +
             ")";
    }
    sql += " AND (" + any + ")";
    for (const auto& t : query.types) params.emplace_back(t);
    for (const auto& k : query.kinds) params.emplace_back(k);
  }
  sql += " ORDER BY seq LIMIT ?";
  params.emplace_back(std::int64_t{std::clamp(query.limit, 1, kMaxChangesPage)});
  return detail::all_rows(db_->query(Access::read, sql, params), change_from);
}

Result<std::int64_t> SqlStore::latest_change_seq(TenantId tenant_id) {
  Result<sql::QueryResult> r = db_->query(
      Access::read, "SELECT COALESCE(MAX(seq), 0) FROM changes WHERE tenant_id = ?", {tenant_id.value()});
  if (!r.ok()) return to_store_error(r.error());
  return r->rows.front().int64(0);
}

Result<std::int64_t> SqlStore::prune_changes(TimePoint before) {
  const std::int64_t before_ms = to_epoch_ms(before);
  Result<sql::QueryResult> changes =
      db_->query(Access::write, "DELETE FROM changes WHERE occurred_at < ?", {before_ms});
  if (!changes.ok()) return to_store_error(changes.error());
  Result<sql::QueryResult> deliveries =
      db_->query(Access::write, "DELETE FROM webhook_deliveries WHERE created_at < ? AND state <> 'pending'",
                 {before_ms});
  if (!deliveries.ok()) return to_store_error(deliveries.error());
  return changes->affected + deliveries->affected;
}

// --- a tenant's endpoints ---

Result<WebhookEndpoint> SqlStore::create_webhook(const WebhookEndpoint& endpoint, TimePoint now) {
  const std::int64_t now_ms = to_epoch_ms(now);
  // enqueued_seq starts at the feed's end: the endpoint gets what is committed after it. On
  // PostgreSQL a change that commits later with a lower seq cannot exist (the feed's lock).
  Result<sql::QueryResult> r = db_->query(
      Access::write,
      std::string(
          "INSERT INTO webhook_endpoints (tenant_id, url, events, secret_cipher, active, enqueued_seq, "
          "created_at, updated_at) SELECT ?, ?, ?, ?, ?, "
          "(SELECT COALESCE(MAX(seq), 0) FROM changes WHERE tenant_id = ?), ?, ? RETURNING ") +
          kEndpointColumns,
      {endpoint.tenant_id.value(), endpoint.url, endpoint.events, endpoint.secret_cipher,
       std::int64_t{endpoint.active ? 1 : 0}, endpoint.tenant_id.value(), now_ms, now_ms});
  Result<std::optional<WebhookEndpoint>> created = detail::first_row(r, endpoint_from);
  if (!created.ok()) return created.error();
  if (!created->has_value()) return Error{core::ErrorCode::db_error, "the webhook was not stored"};
  return **created;
}

Result<std::vector<WebhookEndpoint>> SqlStore::list_webhooks(TenantId tenant_id) {
  return detail::all_rows(
      db_->query(Access::read, select_endpoint("WHERE tenant_id = ? ORDER BY id"), {tenant_id.value()}),
      endpoint_from);
}

Result<std::optional<WebhookEndpoint>> SqlStore::find_webhook(TenantId tenant_id, WebhookId id) {
  return detail::first_row(db_->query(Access::read, select_endpoint("WHERE tenant_id = ? AND id = ?"),
                                      {tenant_id.value(), id.value()}),
                           endpoint_from);
}

Result<WebhookEndpoint> SqlStore::update_webhook(const WebhookEndpoint& endpoint, TimePoint now) {
  Result<sql::QueryResult> r = db_->query(
      Access::write,
      std::string(
          "UPDATE webhook_endpoints SET url = ?, events = ?, secret_cipher = ?, active = ?, updated_at = ? "
          "WHERE tenant_id = ? AND id = ? RETURNING ") +
          kEndpointColumns,
      {endpoint.url, endpoint.events, endpoint.secret_cipher, std::int64_t{endpoint.active ? 1 : 0},
       to_epoch_ms(now), endpoint.tenant_id.value(), endpoint.id.value()});
  Result<std::optional<WebhookEndpoint>> updated = detail::first_row(r, endpoint_from);
  if (!updated.ok()) return updated.error();
  if (!updated->has_value())
    return not_found("webhook " + std::to_string(endpoint.id.value()) + " does not exist");
  return **updated;
}

Status SqlStore::delete_webhook(TenantId tenant_id, WebhookId id) {
  Result<sql::Transaction> begun = db_->begin(Access::write);
  if (!begun.ok()) return to_store_error(begun.error());
  sql::Transaction& tx = *begun;
  Result<sql::QueryResult> deliveries =
      tx.query("DELETE FROM webhook_deliveries WHERE tenant_id = ? AND endpoint_id = ?",
               {tenant_id.value(), id.value()});
  if (!deliveries.ok()) return to_store_error(deliveries.error());
  Result<sql::QueryResult> r = tx.query("DELETE FROM webhook_endpoints WHERE tenant_id = ? AND id = ?",
                                        {tenant_id.value(), id.value()});
  if (!r.ok()) return to_store_error(r.error());
  if (r->affected == 0) return not_found("webhook " + std::to_string(id.value()) + " does not exist");
  if (Status s = tx.commit(); !s.ok()) return to_store_error(s.error());
  return {};
}

Result<std::vector<WebhookDelivery>> SqlStore::list_deliveries(TenantId tenant_id, WebhookId id, int limit,
                                                               std::optional<DeliveryId> before) {
  std::string sql = std::string("SELECT ") + kDeliveryColumns +
                    " FROM webhook_deliveries WHERE tenant_id = ? AND endpoint_id = ?";
  sql::Params params{tenant_id.value(), id.value()};
  if (before) {
    sql += " AND id < ?";
    params.emplace_back(before->value());
  }
  sql += " ORDER BY id DESC LIMIT ?";
  params.emplace_back(std::int64_t{std::clamp(limit, 1, 500)});
  return detail::all_rows(db_->query(Access::read, sql, params), delivery_from);
}

Result<WebhookDelivery> SqlStore::redeliver(TenantId tenant_id, WebhookId id, DeliveryId delivery,
                                            TimePoint retry_until, TimePoint now) {
  const std::int64_t now_ms = to_epoch_ms(now);
  Result<sql::QueryResult> r = db_->query(
      Access::write,
      std::string(
          "UPDATE webhook_deliveries SET state = 'pending', attempts = 0, next_attempt_at = ?, "
          "retry_until = ?, updated_at = ? WHERE tenant_id = ? AND endpoint_id = ? AND id = ? RETURNING ") +
          kDeliveryColumns,
      {now_ms, to_epoch_ms(retry_until), now_ms, tenant_id.value(), id.value(), delivery.value()});
  Result<std::optional<WebhookDelivery>> updated = detail::first_row(r, delivery_from);
  if (!updated.ok()) return updated.error();
  if (!updated->has_value()) {
    return not_found("delivery " + std::to_string(delivery.value()) + " of webhook " +
                     std::to_string(id.value()) + " does not exist");
  }
  return **updated;
}

// --- the delivery worker ---

Result<std::vector<WebhookEndpoint>> SqlStore::endpoints_behind_feed(int limit) {
  return detail::all_rows(
      db_->query(
          Access::read,
          select_endpoint("e WHERE e.active = 1 AND e.enqueued_seq < "
                          "(SELECT COALESCE(MAX(c.seq), 0) FROM changes c WHERE c.tenant_id = e.tenant_id) "
                          "ORDER BY e.id LIMIT ?"),
          {std::int64_t{limit}}),
      endpoint_from);
}

Status SqlStore::enqueue_deliveries(WebhookId id, const std::vector<NewDelivery>& deliveries,
                                    std::int64_t up_to_seq, TimePoint retry_until, TimePoint now) {
  const std::int64_t now_ms = to_epoch_ms(now);
  Result<sql::Transaction> begun = db_->begin(Access::write);
  if (!begun.ok()) return to_store_error(begun.error());
  sql::Transaction& tx = *begun;
  // Two instances may fan out the same endpoint at once: the unique (endpoint, seq) keeps one
  // delivery per change, and enqueued_seq only moves up.
  for (const NewDelivery& d : deliveries) {
    Result<sql::QueryResult> r = tx.query(
        "INSERT INTO webhook_deliveries (tenant_id, endpoint_id, change_seq, delivery_key, type, body, "
        "state, "
        "attempts, next_attempt_at, retry_until, created_at, updated_at) "
        "SELECT tenant_id, id, ?, ?, ?, ?, 'pending', 0, ?, ?, ?, ? FROM webhook_endpoints WHERE id = ? "
        "ON CONFLICT (endpoint_id, change_seq) DO NOTHING",
        {d.change_seq, d.delivery_key, d.type, d.body, now_ms, to_epoch_ms(retry_until), now_ms, now_ms,
         id.value()});
    if (!r.ok()) return to_store_error(r.error());
  }
  Result<sql::QueryResult> moved =
      tx.query("UPDATE webhook_endpoints SET enqueued_seq = ? WHERE id = ? AND enqueued_seq < ?",
               {up_to_seq, id.value(), up_to_seq});
  if (!moved.ok()) return to_store_error(moved.error());
  if (Status s = tx.commit(); !s.ok()) return to_store_error(s.error());
  return {};
}

Result<std::optional<WebhookEndpoint>> SqlStore::claim_webhook(const std::string& owner,
                                                               std::chrono::milliseconds lease,
                                                               TimePoint now) {
  const std::int64_t now_ms = to_epoch_ms(now);
  // The head of an endpoint's queue (its pending delivery of the lowest seq) decides when it is
  // due: deliveries go out in order of seq, so a later one never overtakes a retried one. The
  // endpoint served longest ago goes first. The outer lease condition is checked again on the
  // row itself, so of two instances racing for an endpoint one gets it.
  Result<sql::QueryResult> r = db_->query(
      Access::write,
      std::string("UPDATE webhook_endpoints SET lease_owner = ?, lease_expires_at = ? WHERE id = ("
                  "SELECT e.id FROM webhook_endpoints e WHERE e.active = 1 "
                  "AND (e.lease_owner IS NULL OR e.lease_expires_at < ?) "
                  "AND (SELECT d.next_attempt_at FROM webhook_deliveries d WHERE d.endpoint_id = e.id "
                  "AND d.state = 'pending' ORDER BY d.change_seq LIMIT 1) <= ? "
                  "ORDER BY COALESCE(e.lease_expires_at, 0), e.id LIMIT 1) "
                  "AND (lease_owner IS NULL OR lease_expires_at < ?) RETURNING ") +
          kEndpointColumns,
      {owner, now_ms + lease.count(), now_ms, now_ms, now_ms});
  return detail::first_row(r, endpoint_from);
}

Result<std::vector<WebhookDelivery>> SqlStore::pending_deliveries(WebhookId id, int limit) {
  return detail::all_rows(
      db_->query(
          Access::read,
          std::string("SELECT ") + kDeliveryColumns +
              " FROM webhook_deliveries WHERE endpoint_id = ? AND state = 'pending' ORDER BY change_seq "
              "LIMIT ?",
          {id.value(), std::int64_t{limit}}),
      delivery_from);
}

Status SqlStore::record_attempts(WebhookId id, const std::string& owner,
                                 const std::vector<AttemptRecord>& attempts, std::chrono::milliseconds lease,
                                 TimePoint now) {
  const std::int64_t now_ms = to_epoch_ms(now);
  Result<sql::Transaction> begun = db_->begin(Access::write);
  if (!begun.ok()) return to_store_error(begun.error());
  sql::Transaction& tx = *begun;
  Result<sql::QueryResult> held =
      tx.query("UPDATE webhook_endpoints SET lease_expires_at = ? WHERE id = ? AND lease_owner = ?",
               {now_ms + lease.count(), id.value(), owner});
  if (!held.ok()) return to_store_error(held.error());
  if (held->affected == 0) {
    return make_error(core::ErrorCode::conflict, "the webhook's lease was lost to another instance");
  }
  for (const AttemptRecord& a : attempts) {
    const AttemptOutcome& outcome = a.outcome;
    const bool delivered = outcome.state == DeliveryState::succeeded;
    Result<sql::QueryResult> r = tx.query(
        "UPDATE webhook_deliveries SET state = ?, attempts = attempts + 1, next_attempt_at = ?, last_status "
        "= ?, "
        "last_error = ?, updated_at = ?, delivered_at = ? WHERE endpoint_id = ? AND id = ?",
        {std::string(to_string(outcome.state)), to_epoch_ms(outcome.next_attempt_at),
         sql::nullable(outcome.status), sql::null_if_empty(outcome.error), now_ms,
         delivered ? sql::Value(now_ms) : sql::Value(nullptr), id.value(), a.delivery.value()});
    if (!r.ok()) return to_store_error(r.error());
  }
  if (Status s = tx.commit(); !s.ok()) return to_store_error(s.error());
  return {};
}

Status SqlStore::release_webhook(WebhookId id, const std::string& owner, TimePoint now) {
  // lease_expires_at keeps when the endpoint was last served: claims serve the oldest first.
  Result<sql::QueryResult> r = db_->query(Access::write,
                                          "UPDATE webhook_endpoints SET lease_owner = NULL, lease_expires_at "
                                          "= ? WHERE id = ? AND lease_owner = ?",
                                          {to_epoch_ms(now), id.value(), owner});
  if (!r.ok()) return to_store_error(r.error());
  return {};
}

}  // namespace tenantsync::store
