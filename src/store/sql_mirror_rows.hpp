#pragma once
// Private to SqlStore: a mirror row's columns and how they read into a MirrorItem, shared by the
// mirror (sql_store_mirror.cpp) and the call log (sql_store_calls.cpp), which joins tables and so
// names the columns with a table alias.
#include <string>

#include "core/mirror.hpp"
#include "store/sql/value.hpp"
#include "store/sync_records.hpp"

namespace tenantsync::store::detail {

/// The 17 columns mirror_item_from reads, each prefixed with `alias` ("e." or "").
inline std::string mirror_item_columns(const std::string& alias) {
  std::string out;
  for (const char* name :
       {"id", "upstream_id", "upstream_account_id", "name", "status", "agent_id", "batch_id",
        "upstream_created_at", "upstream_updated_at", "fields", "first_seen_run", "last_seen_run",
        "created_at", "updated_at", "archived_at", "archive_reason", "archive_run"}) {
    out += (out.empty() ? "" : ", ") + alias + name;
  }
  return out;
}

/// Reads the first 17 cells of `row` (mirror_item_columns' order).
inline MirrorItem mirror_item_from(const sql::Row& row, core::Resource resource) {
  MirrorItem item;
  item.resource = resource;
  sql::read_row(row, item.id, item.upstream_id, item.upstream_account_id, item.name, item.status,
                item.agent_id, item.batch_id, item.upstream_created_at_ms, item.upstream_updated_at_ms,
                item.fields_json, item.first_seen_run, item.last_seen_run, item.created_at_ms,
                item.updated_at_ms, item.archived_at_ms, item.archive_reason, item.archive_run);
  return item;
}

}  // namespace tenantsync::store::detail
