// SqlStore: changes pushed in (call-webhook tokens, executions from Bolna webhooks, the queue of
// HubSpot webhook events).
#include "store/execution_columns.hpp"
#include "store/sql_store.hpp"
#include "store/sql_store_errors.hpp"

namespace tenantsync::store {

using sql::Access;

Status SqlStore::put_hook_token(TenantId tenant_id, const std::string& token_hash,
                                const std::string& token_cipher, TimePoint now) {
  Result<sql::QueryResult> r = db_->query(
      Access::write,
      "INSERT INTO hook_tokens (tenant_id, token_hash, token_cipher, created_at) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (tenant_id) DO UPDATE SET token_hash = excluded.token_hash, "
      "token_cipher = excluded.token_cipher, created_at = excluded.created_at",
      {tenant_id.value(), token_hash, token_cipher, to_epoch_ms(now)});
  if (!r.ok()) return to_store_error(r.error());
  return {};
}

Result<std::optional<std::string>> SqlStore::get_hook_token_cipher(TenantId tenant_id) {
  Result<sql::QueryResult> r =
      db_->query(Access::read, "SELECT token_cipher FROM hook_tokens WHERE tenant_id = ?", {tenant_id.value()});
  if (!r.ok()) return to_store_error(r.error());
  if (r->empty()) return std::optional<std::string>{};
  return std::optional<std::string>(r->rows.front().text(0));
}

Result<std::optional<TenantId>> SqlStore::find_hook_tenant(const std::string& token_hash) {
  Result<sql::QueryResult> r =
      db_->query(Access::read, "SELECT tenant_id FROM hook_tokens WHERE token_hash = ?", {token_hash});
  if (!r.ok()) return to_store_error(r.error());
  if (r->empty()) return std::optional<TenantId>{};
  return std::optional<TenantId>(TenantId{r->rows.front().int64(0)});
}

Result<bool> SqlStore::has_active_agent(TenantId tenant_id, const std::string& account_id,
                                        const std::string& agent_id) {
  Result<sql::QueryResult> r = db_->query(Access::read,
                                          "SELECT 1 FROM agents WHERE tenant_id = ? AND upstream_id = ? "
                                          "AND upstream_account_id = ? AND archived_at IS NULL",
                                          {tenant_id.value(), agent_id, account_id});
  if (!r.ok()) return to_store_error(r.error());
  return !r->empty();
}

Result<PushedWrite> SqlStore::upsert_pushed_execution(TenantId tenant_id, const std::string& account_id,
                                                      const core::UpstreamRecord& rec, const std::string& region,
                                                      TimePoint now) {
  const std::int64_t now_ms = to_epoch_ms(now);
  const ExecutionColumns c = execution_columns(rec.fields_json, region);
  const auto real = [](const std::optional<double>& v) { return v ? sql::Value(*v) : sql::Value(nullptr); };
  const sql::Params record = {rec.name,
                              rec.status,
                              sql::null_if_empty(rec.agent_id),
                              sql::null_if_empty(rec.batch_id),
                              sql::null_if_zero(rec.created_at_ms),
                              sql::null_if_zero(rec.updated_at_ms),
                              rec.fields_json.empty() ? std::string("{}") : rec.fields_json,
                              rec.raw_json.empty() ? std::string("{}") : rec.raw_json,
                              rec.content_hash,
                              sql::null_if_empty(c.from_e164),
                              sql::null_if_empty(c.to_e164),
                              real(c.duration_s),
                              real(c.cost)};

  Result<sql::Transaction> begun = db_->begin(Access::write);
  if (!begun.ok()) return to_store_error(begun.error());
  sql::Transaction& tx = *begun;
  Result<sql::QueryResult> found = tx.query(
      "SELECT id, content_hash, upstream_updated_at, upstream_account_id, archived_at FROM executions "
      "WHERE tenant_id = ? AND upstream_id = ?",
      {tenant_id.value(), rec.upstream_id});
  if (!found.ok()) return to_store_error(found.error());

  PushedWrite outcome = PushedWrite::created;
  if (found->empty()) {
    Result<sql::QueryResult> inserted = tx.query(
        "INSERT INTO executions (tenant_id, upstream_id, upstream_account_id, name, status, agent_id, batch_id, "
        "upstream_created_at, upstream_updated_at, fields, raw, content_hash, from_e164, to_e164, duration_s, "
        "cost, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        sql::bind(tenant_id, rec.upstream_id, account_id, record, now_ms, now_ms));
    if (!inserted.ok()) return to_store_error(inserted.error());
  } else {
    const sql::Row& row = found->rows.front();
    const std::int64_t id = row.int64(0);
    const bool same_account = row.text(3) == account_id;
    // A webhook delivered late (an "in-progress" after its "completed") must not undo the newer row.
    const std::optional<std::int64_t> stored_updated = row.opt_int64(2);
    if (same_account && stored_updated && rec.updated_at_ms != 0 && rec.updated_at_ms < *stored_updated) {
      return PushedWrite::stale;
    }
    if (same_account && row.text(1) == rec.content_hash && row.is_null(4)) return PushedWrite::unchanged;
    Result<sql::QueryResult> updated = tx.query(
        "UPDATE executions SET upstream_account_id = ?, name = ?, status = ?, agent_id = ?, batch_id = ?, "
        "upstream_created_at = ?, upstream_updated_at = ?, fields = ?, raw = ?, content_hash = ?, from_e164 = ?, "
        "to_e164 = ?, duration_s = ?, cost = ?, updated_at = ?, archived_at = NULL, archive_reason = NULL, "
        "archive_run = NULL WHERE tenant_id = ? AND id = ?",
        sql::bind(account_id, record, now_ms, tenant_id, id));
    if (!updated.ok()) return to_store_error(updated.error());
    outcome = PushedWrite::updated;
  }
  if (Status s = tx.commit(); !s.ok()) return to_store_error(s.error());
  return outcome;
}

Result<EnqueueResult> SqlStore::enqueue_hubspot_events(TenantId tenant_id, ConnectionId connection_id,
                                                       const std::vector<HubspotEvent>& events, int max_pending,
                                                       TimePoint now) {
  const std::int64_t now_ms = to_epoch_ms(now);
  Result<sql::Transaction> begun = db_->begin(Access::write);
  if (!begun.ok()) return to_store_error(begun.error());
  sql::Transaction& tx = *begun;
  Result<sql::QueryResult> pending = tx.query(
      "SELECT COUNT(*) FROM hubspot_events WHERE tenant_id = ? AND processed_at IS NULL", {tenant_id.value()});
  if (!pending.ok()) return to_store_error(pending.error());
  std::int64_t room = max_pending - pending->rows.front().int64(0);
  EnqueueResult result;
  for (const HubspotEvent& e : events) {
    if (room <= 0) {
      ++result.over_limit;
      continue;
    }
    Result<sql::QueryResult> inserted = tx.query(
        "INSERT INTO hubspot_events (tenant_id, connection_id, event_id, kind, object_id, merged_ids, "
        "occurred_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (connection_id, event_id) DO NOTHING",
        sql::bind(tenant_id, connection_id, e.event_id, e.kind, e.object_id, e.merged_ids, e.occurred_at_ms,
                  now_ms));
    if (!inserted.ok()) return to_store_error(inserted.error());
    if (inserted->affected == 0) {
      ++result.duplicates;
    } else {
      ++result.queued;
      --room;
    }
  }
  if (Status s = tx.commit(); !s.ok()) return to_store_error(s.error());
  return result;
}

Result<std::vector<PendingConnection>> SqlStore::hubspot_pending_connections(int limit) {
  Result<sql::QueryResult> r = db_->query(Access::read,
                                          "SELECT tenant_id, connection_id FROM hubspot_events "
                                          "WHERE processed_at IS NULL GROUP BY tenant_id, connection_id "
                                          "ORDER BY MIN(id) LIMIT ?",
                                          {static_cast<std::int64_t>(limit)});
  if (!r.ok()) return to_store_error(r.error());
  std::vector<PendingConnection> out;
  for (const auto& row : r->rows) {
    PendingConnection p;
    sql::read_row(row, p.tenant_id, p.connection_id);
    out.push_back(p);
  }
  return out;
}

Result<std::vector<HubspotEvent>> SqlStore::pending_hubspot_events(TenantId tenant_id, ConnectionId connection_id,
                                                                   int limit) {
  Result<sql::QueryResult> r = db_->query(
      Access::read,
      "SELECT id, event_id, kind, object_id, merged_ids, occurred_at FROM hubspot_events "
      "WHERE tenant_id = ? AND connection_id = ? AND processed_at IS NULL ORDER BY occurred_at, id LIMIT ?",
      {tenant_id.value(), connection_id.value(), static_cast<std::int64_t>(limit)});
  if (!r.ok()) return to_store_error(r.error());
  std::vector<HubspotEvent> out;
  for (const auto& row : r->rows) {
    HubspotEvent e;
    sql::read_row(row, e.id, e.event_id, e.kind, e.object_id, e.merged_ids, e.occurred_at_ms);
    out.push_back(std::move(e));
  }
  return out;
}

Status SqlStore::mark_hubspot_events(TenantId tenant_id, ConnectionId connection_id,
                                     const std::vector<std::int64_t>& ids, TimePoint now) {
  if (ids.empty()) return {};
  Result<sql::Transaction> begun = db_->begin(Access::write);
  if (!begun.ok()) return to_store_error(begun.error());
  sql::Transaction& tx = *begun;
  for (std::int64_t id : ids) {
    Result<sql::QueryResult> r =
        tx.query("UPDATE hubspot_events SET processed_at = ? WHERE tenant_id = ? AND connection_id = ? AND id = ?",
                 {to_epoch_ms(now), tenant_id.value(), connection_id.value(), id});
    if (!r.ok()) return to_store_error(r.error());
  }
  if (Status s = tx.commit(); !s.ok()) return to_store_error(s.error());
  return {};
}

Result<int> SqlStore::prune_hubspot_events(TimePoint before) {
  Result<sql::QueryResult> r = db_->query(
      Access::write, "DELETE FROM hubspot_events WHERE processed_at IS NOT NULL AND processed_at < ?",
      {to_epoch_ms(before)});
  if (!r.ok()) return to_store_error(r.error());
  return static_cast<int>(r->affected);
}

}  // namespace tenantsync::store
