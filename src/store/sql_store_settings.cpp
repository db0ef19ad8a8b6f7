// SqlStore: tenant settings (the voice API key, encrypted by the caller, and the default region).
#include "store/sql_store.hpp"
#include "store/sql_store_errors.hpp"

namespace tenantsync::store {

using sql::Access;

Result<TenantSettings> SqlStore::get_settings(TenantId tenant_id) {
  // One statement: the region lives on the tenant, the rest in tenant_settings (maybe absent).
  Result<sql::QueryResult> r =
      db_->query(Access::read,
                 "SELECT t.default_region, s.voice_api_key_cipher, s.voice_key_last4, s.voice_base_url, "
                 "s.voice_account_id, s.updated_at FROM tenants t "
                 "LEFT JOIN tenant_settings s ON s.tenant_id = t.id WHERE t.id = ?",
                 {tenant_id.value()});
  if (!r.ok()) return to_store_error(r.error());
  if (r->empty()) return not_found("tenant " + std::to_string(tenant_id.value()) + " does not exist");
  TenantSettings s;
  s.tenant_id = tenant_id;
  sql::read_row(r->rows.front(), s.default_region, s.voice_api_key_cipher, s.voice_key_last4,
                s.voice_base_url, s.voice_account_id, s.updated_at_ms);
  return s;
}

Status SqlStore::put_settings(const TenantSettings& settings, TimePoint now) {
  const std::int64_t now_ms = to_epoch_ms(now);
  Result<sql::Transaction> begun = db_->begin(Access::write);
  if (!begun.ok()) return to_store_error(begun.error());
  sql::Transaction& tx = *begun;

  Result<sql::QueryResult> region = tx.query("UPDATE tenants SET default_region = ? WHERE id = ?",
                                             {settings.default_region, settings.tenant_id.value()});
  if (!region.ok()) return to_store_error(region.error());
  if (region->affected == 0)
    return not_found("tenant " + std::to_string(settings.tenant_id.value()) + " does not exist");

  Result<sql::QueryResult> upsert = tx.query(
      "INSERT INTO tenant_settings (tenant_id, voice_api_key_cipher, voice_key_last4, voice_base_url, "
      "voice_account_id, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (tenant_id) DO UPDATE SET voice_api_key_cipher = excluded.voice_api_key_cipher, "
      "voice_key_last4 = excluded.voice_key_last4, voice_base_url = excluded.voice_base_url, "
      "voice_account_id = excluded.voice_account_id, updated_at = excluded.updated_at",
      {settings.tenant_id.value(), settings.voice_api_key_cipher, settings.voice_key_last4, settings.voice_base_url,
       settings.voice_account_id, now_ms});
  if (!upsert.ok()) return to_store_error(upsert.error());
  if (Status s = tx.commit(); !s.ok()) return to_store_error(s.error());
  return {};
}

}  // namespace tenantsync::store
