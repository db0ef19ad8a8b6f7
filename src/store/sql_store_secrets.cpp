// SqlStore: the sealed secrets of every tenant, for rotating the secret key.
#include "store/sql_store.hpp"
#include "store/sql_store_errors.hpp"

namespace tenantsync::store {

using sql::Access;

Result<std::vector<SealedSecret>> SqlStore::list_sealed_secrets() {
  Result<sql::QueryResult> voice = db_->query(Access::read,
                                              "SELECT tenant_id, voice_api_key_cipher FROM tenant_settings "
                                              "WHERE voice_api_key_cipher <> '' ORDER BY tenant_id",
                                              {});
  if (!voice.ok()) return to_store_error(voice.error());
  Result<sql::QueryResult> crm = db_->query(Access::read,
                                            "SELECT tenant_id, id, credentials_cipher FROM crm_connections "
                                            "WHERE credentials_cipher <> '' ORDER BY id",
                                            {});
  if (!crm.ok()) return to_store_error(crm.error());
  Result<sql::QueryResult> hooks =
      db_->query(Access::read, "SELECT tenant_id, token_cipher FROM hook_tokens ORDER BY tenant_id", {});
  if (!hooks.ok()) return to_store_error(hooks.error());
  Result<sql::QueryResult> webhooks =
      db_->query(Access::read, "SELECT tenant_id, id, secret_cipher FROM webhook_endpoints ORDER BY id", {});
  if (!webhooks.ok()) return to_store_error(webhooks.error());
  std::vector<SealedSecret> out;
  for (const auto& row : voice->rows) {
    SealedSecret s;
    s.column = SealedColumn::voice_api_key;
    sql::read_row(row, s.tenant_id, s.cipher);
    out.push_back(std::move(s));
  }
  for (const auto& row : crm->rows) {
    SealedSecret s;
    s.column = SealedColumn::crm_credentials;
    ConnectionId id{0};
    sql::read_row(row, s.tenant_id, id, s.cipher);
    s.connection_id = id;
    out.push_back(std::move(s));
  }
  for (const auto& row : hooks->rows) {
    SealedSecret s;
    s.column = SealedColumn::hook_token;
    sql::read_row(row, s.tenant_id, s.cipher);
    out.push_back(std::move(s));
  }
  for (const auto& row : webhooks->rows) {
    SealedSecret s;
    s.column = SealedColumn::webhook_secret;
    std::int64_t id = 0;
    sql::read_row(row, s.tenant_id, id, s.cipher);
    s.webhook_id = id;
    out.push_back(std::move(s));
  }
  return out;
}

Result<bool> SqlStore::has_sealed_secrets() {
  Result<sql::QueryResult> r =
      db_->query(Access::read,
                 "SELECT (SELECT COUNT(*) FROM tenant_settings WHERE voice_api_key_cipher <> '') + "
                 "(SELECT COUNT(*) FROM crm_connections WHERE credentials_cipher <> '') + "
                 "(SELECT COUNT(*) FROM hook_tokens) + (SELECT COUNT(*) FROM webhook_endpoints)",
                 {});
  if (!r.ok()) return to_store_error(r.error());
  std::int64_t count = 0;
  sql::read_row(r->rows.front(), count);
  return count > 0;
}

Result<bool> SqlStore::replace_sealed_secret(const SealedSecret& secret, const std::string& new_cipher) {
  // Compare-and-set on the old cipher: a secret a tenant saved again meanwhile is not overwritten.
  if (secret.column == SealedColumn::hook_token) {
    Result<sql::QueryResult> hook = db_->query(
        Access::write, "UPDATE hook_tokens SET token_cipher = ? WHERE tenant_id = ? AND token_cipher = ?",
        {new_cipher, secret.tenant_id.value(), secret.cipher});
    if (!hook.ok()) return to_store_error(hook.error());
    return hook->affected > 0;
  }
  if (secret.column == SealedColumn::webhook_secret) {
    Result<sql::QueryResult> webhook = db_->query(
        Access::write,
        "UPDATE webhook_endpoints SET secret_cipher = ? WHERE tenant_id = ? AND id = ? AND secret_cipher = ?",
        {new_cipher, secret.tenant_id.value(), secret.webhook_id.value_or(0), secret.cipher});
    if (!webhook.ok()) return to_store_error(webhook.error());
    return webhook->affected > 0;
  }
  Result<sql::QueryResult> r =
      secret.column == SealedColumn::voice_api_key
          ? db_->query(Access::write,
                       "UPDATE tenant_settings SET voice_api_key_cipher = ? "
                       "WHERE tenant_id = ? AND voice_api_key_cipher = ?",
                       {new_cipher, secret.tenant_id.value(), secret.cipher})
          : db_->query(Access::write,
                       "UPDATE crm_connections SET credentials_cipher = ? "
                       "WHERE tenant_id = ? AND id = ? AND credentials_cipher = ?",
                       {new_cipher, secret.tenant_id.value(),
                        secret.connection_id.value_or(ConnectionId{0}).value(), secret.cipher});
  if (!r.ok()) return to_store_error(r.error());
  return r->affected > 0;
}

}  // namespace tenantsync::store
