// SqlStore: leads (CRM contacts and manual entries), the matcher's batch lookup and the CRM page write.
#include <algorithm>
#include <cctype>
#include <iterator>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "store/sql/array_literal.hpp"
#include "store/sql_run_rows.hpp"
#include "store/sql_store.hpp"
#include "store/sql_store_errors.hpp"
#include "store/sql_store_rows.hpp"

namespace tenantsync::store {
namespace {

using sql::Access;

constexpr const char* kLeadColumns =
    "id, tenant_id, source, name, email, email_norm, phone_raw, phone_e164, phone_valid, crm_connection_id, "
    "crm_provider, crm_id, crm_owner, crm_owner_email, crm_status, crm_stage, crm_description, "
    "crm_last_activity_at, crm_archived_at, crm_updated_at, match_reason, created_at, updated_at, "
    "created_run, "
    "updated_run";

// A page of the CRM sync is 100 contacts; longer key lists are split so no statement nears the
// backends' parameter limits (SQLite 32766, PostgreSQL 65535).
constexpr std::size_t kMaxInList = 500;
constexpr int kMaxPageSize = 500;

Lead lead_from(const sql::Row& row) {
  Lead l;
  sql::read_row(row, l.id, l.tenant_id, l.source, l.name, l.email, l.email_norm, l.phone_raw, l.phone_e164,
                l.phone_valid, l.crm_connection_id, l.crm_provider, l.crm_id, l.crm_owner, l.crm_owner_email,
                l.crm_status, l.crm_stage, l.crm_description, l.crm_last_activity_at_ms, l.crm_archived_at_ms,
                l.crm_updated_at_ms, l.match_reason, l.created_at_ms, l.updated_at_ms, l.created_run,
                l.updated_run);
  return l;
}

// Optional text columns are bound as NULL when empty, which also keeps manual leads outside the
// unique (tenant_id, crm_provider, crm_id) index.
using sql::null_if_empty;

// The contact columns every INSERT and UPDATE of a lead writes: name, email, email_norm, phone_raw,
// phone_e164, phone_valid.
sql::Params contact_params(const Lead& l) {
  return {l.name,
          null_if_empty(l.email),
          null_if_empty(l.email_norm),
          null_if_empty(l.phone_raw),
          null_if_empty(l.phone_e164),
          std::int64_t{l.phone_valid ? 1 : 0}};
}

// An update's phone_region: the write's when it carries a phone (merged() then takes its three
// phone columns), else NULL, which the UPDATE reads as "keep the stored one". The column is not
// among kLeadColumns: only a sync reading stored forms (find_stored_phones) needs it.
sql::Value phone_region_param(const Lead& in) {
  if (in.phone_raw.empty() && in.phone_e164.empty()) return nullptr;
  return in.phone_region;
}

// The CRM link columns: crm_connection_id (0, none, is stored as NULL), crm_provider, crm_id.
sql::Params crm_link_params(ConnectionId connection_id, const Lead& l) {
  return {sql::null_if_zero(connection_id), null_if_empty(l.crm_provider), null_if_empty(l.crm_id)};
}

// The CRM detail columns a CRM write sets: crm_owner, crm_owner_email, crm_status, crm_stage,
// crm_description, crm_last_activity_at, crm_archived_at, crm_updated_at, match_reason.
sql::Params crm_detail_params(const Lead& l) {
  return {null_if_empty(l.crm_owner),          null_if_empty(l.crm_owner_email),
          null_if_empty(l.crm_status),         null_if_empty(l.crm_stage),
          null_if_empty(l.crm_description),    sql::nullable(l.crm_last_activity_at_ms),
          sql::nullable(l.crm_archived_at_ms), sql::nullable(l.crm_updated_at_ms),
          null_if_empty(l.match_reason)};
}

// "?, ?, ..., ?" for n placeholders. IN lists are padded to a power of two (repeating the last
// key) so a sync issues a handful of distinct statement texts, which SQLite's per-connection
// statement cache then reuses.
std::size_t padded_size(std::size_t n) {
  std::size_t size = 1;
  while (size < n) size *= 2;
  return size;
}

std::string placeholders(std::size_t n) {
  std::string out;
  out.reserve(n * 3);
  for (std::size_t i = 0; i < n; ++i) out += i == 0 ? "?" : ", ?";
  return out;
}

// Non-empty keys, each once, in the caller's order.
std::vector<std::string> distinct_keys(const std::vector<std::string>& keys) {
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  for (const std::string& key : keys) {
    if (!key.empty() && seen.insert(key).second) out.push_back(key);
  }
  return out;
}

// Runs `prefix IN (keys)` in chunks; prefix_params bind the placeholders before the list.
// (PostgreSQL binds the keys as one array instead: kCandidatesByArrays, kStoredLeadsByArrays.)
template <typename Key>
Status query_in(sql::Database& db, sql::Transaction* tx, const std::string& prefix,
                const sql::Params& prefix_params, const std::vector<Key>& keys, const std::string& suffix,
                std::vector<sql::Row>& out) {
  for (std::size_t begin = 0; begin < keys.size(); begin += kMaxInList) {
    const std::size_t end = std::min(keys.size(), begin + kMaxInList);
    const std::size_t size = padded_size(end - begin);
    sql::Params params = prefix_params;
    for (std::size_t i = 0; i < size; ++i) params.emplace_back(keys[std::min(begin + i, end - 1)]);
    const std::string text = prefix + " IN (" + placeholders(size) + ")" + suffix;
    Result<sql::QueryResult> r =
        tx != nullptr ? tx->query(text, params) : db.query(Access::read, text, params);
    if (!r.ok()) return r.error();
    for (sql::Row& row : r->rows) out.push_back(std::move(row));
  }
  return {};
}

// Escapes LIKE wildcards in user input (the query uses ESCAPE '\').
std::string like_pattern(const std::string& q) {
  std::string out = "%";
  for (char c : q) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  out += '%';
  return out;
}

// The row an update would leave (LeadWrite's overwrite rules), from the stored row.
Lead merged(const Lead& stored, const LeadWrite& write, ConnectionId connection_id) {
  const Lead& in = write.lead;
  Lead out = stored;
  if (!in.name.empty()) out.name = in.name;
  if (!in.email.empty() || !in.email_norm.empty()) {
    out.email = in.email;
    out.email_norm = in.email_norm;
  }
  // A contact without a phone never blanks the lead's; a contact with one replaces all three.
  if (!in.phone_raw.empty() || !in.phone_e164.empty()) {
    out.phone_raw = in.phone_raw;
    out.phone_e164 = in.phone_e164;
    out.phone_valid = in.phone_valid;
    out.phone_region = in.phone_region;
  }
  out.crm_owner = in.crm_owner;
  out.crm_owner_email = in.crm_owner_email;
  out.crm_status = in.crm_status;
  out.crm_stage = in.crm_stage;
  out.crm_description = in.crm_description;
  out.crm_last_activity_at_ms = in.crm_last_activity_at_ms;
  out.crm_archived_at_ms = in.crm_archived_at_ms;
  out.crm_updated_at_ms = in.crm_updated_at_ms;
  if (write.link_crm_id) {
    // The reason records how the link was made, so it changes only with the link; a later sync
    // that finds the lead by its CRM id leaves it (and the row) as it was.
    if (stored.crm_provider != in.crm_provider || stored.crm_id != in.crm_id)
      out.match_reason = in.match_reason;
    out.crm_provider = in.crm_provider;
    out.crm_id = in.crm_id;
    out.crm_connection_id = connection_id;
  }
  return out;
}

bool same_values(const Lead& a, const Lead& b) {
  return a.name == b.name && a.email == b.email && a.email_norm == b.email_norm &&
         a.phone_raw == b.phone_raw && a.phone_e164 == b.phone_e164 && a.phone_valid == b.phone_valid &&
         a.crm_connection_id == b.crm_connection_id && a.crm_provider == b.crm_provider &&
         a.crm_id == b.crm_id && a.crm_owner == b.crm_owner && a.crm_owner_email == b.crm_owner_email &&
         a.crm_status == b.crm_status && a.crm_stage == b.crm_stage &&
         a.crm_description == b.crm_description && a.crm_last_activity_at_ms == b.crm_last_activity_at_ms &&
         a.crm_archived_at_ms == b.crm_archived_at_ms && a.crm_updated_at_ms == b.crm_updated_at_ms &&
         a.match_reason == b.match_reason;
}

// The new leads of a page in a few multi-row INSERTs rather than one round trip each (a first
// sync creates 100 a page). Row counts come from a fixed set of sizes so each backend's cache of
// prepared statements holds a handful of texts. The ids come back with RETURNING; both backends
// hand out the ids of one statement's rows in increasing order as the rows are inserted (SQLite:
// the next rowid, PostgreSQL: nextval of the id sequence, row by row), so the sorted ids are the
// rows' ids in VALUES order whatever order RETURNING lists them in.
constexpr std::size_t kInsertChunks[] = {100, 25, 5, 1};
constexpr const char* kInsertInto =
    "INSERT INTO leads (tenant_id, source, name, email, email_norm, phone_raw, phone_e164, phone_valid, "
    "phone_region, crm_connection_id, crm_provider, crm_id, crm_owner, crm_owner_email, crm_status, crm_stage, "
    "crm_description, crm_last_activity_at, crm_archived_at, crm_updated_at, match_reason, created_at, "
    "updated_at, created_run, updated_run) ";
constexpr std::size_t kInsertColumns = 25;

const std::string& insert_text(std::size_t rows) {
  static const auto kTexts = [] {
    std::vector<std::pair<std::size_t, std::string>> texts;
    for (std::size_t n : kInsertChunks) {
      std::string text = std::string(kInsertInto) + "VALUES ";
      const std::string row = "(" + placeholders(kInsertColumns) + ")";
      for (std::size_t i = 0; i < n; ++i) text += (i == 0 ? "" : ", ") + row;
      texts.emplace_back(n, text + " RETURNING id");
    }
    return texts;
  }();
  for (const auto& [n, text] : kTexts)
    if (n == rows) return text;
  throw std::logic_error("no INSERT text for this row count");
}

// One new lead's 25 INSERT values, in kInsertInto's column order.
sql::Params insert_row(TenantId tenant_id, ConnectionId connection_id, const LeadWrite& w, const sql::Value& run,
                       std::int64_t now_ms) {
  const Lead& in = w.lead;
  const sql::Params link = w.link_crm_id ? crm_link_params(connection_id, in) : sql::Params(3, nullptr);
  return sql::bind(tenant_id, in.source.empty() ? std::string("crm") : in.source, contact_params(in),
                   in.phone_region, link, crm_detail_params(in), now_ms, now_ms, run, run);
}

// Gives each new lead its id: the ids of one INSERT, sorted, in its rows' order (above).
Status assign_ids(const sql::QueryResult& inserted, const std::vector<std::size_t>& created, std::size_t first,
                  std::size_t rows, std::vector<LeadId>& ids) {
  if (inserted.rows.size() != rows)
    return make_error(core::ErrorCode::db_error, "an INSERT of leads returned " +
                                                     std::to_string(inserted.rows.size()) + " ids for " +
                                                     std::to_string(rows) + " rows");
  std::vector<std::int64_t> new_ids;
  new_ids.reserve(rows);
  for (const sql::Row& row : inserted.rows) new_ids.push_back(row.int64(0));
  std::sort(new_ids.begin(), new_ids.end());
  for (std::size_t k = 0; k < rows; ++k) ids[created[first + k]] = LeadId{new_ids[k]};
  return {};
}

// PostgreSQL: every column of the page's new leads bound as one array and the rows made by
// unnest, in one statement whose text never changes. A multi-row VALUES of 100 rows has 2,400
// parameters, which PostgreSQL parses and plans again on every execution.
constexpr const char* kInsertByArrays =
    "SELECT * FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], "
    "?::integer[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], "
    "?::bigint[], ?::bigint[], ?::bigint[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[]) "
    "RETURNING id";

Status insert_leads_by_arrays(sql::Transaction& tx, TenantId tenant_id, ConnectionId connection_id,
                              const std::vector<LeadWrite>& writes, const std::vector<std::size_t>& created,
                              const sql::Value& run, std::int64_t now_ms, std::vector<LeadId>& ids) {
  std::vector<sql::Params> columns(kInsertColumns);
  for (sql::Params& column : columns) column.reserve(created.size());
  for (const std::size_t k : created) {
    sql::Params row = insert_row(tenant_id, connection_id, writes[k], run, now_ms);
    for (std::size_t c = 0; c < kInsertColumns; ++c) columns[c].push_back(std::move(row[c]));
  }
  sql::Params params;
  params.reserve(kInsertColumns);
  for (const sql::Params& column : columns) params.emplace_back(sql::array_literal(column));
  // unnest hands out the rows in array order, and nextval numbers them as they are inserted.
  static const std::string kText = std::string(kInsertInto) + kInsertByArrays;
  Result<sql::QueryResult> r = tx.query(kText, params);
  if (!r.ok()) return r.error();
  return assign_ids(*r, created, 0, created.size(), ids);
}

Status insert_leads(sql::Transaction& tx, TenantId tenant_id, ConnectionId connection_id,
                    const std::vector<LeadWrite>& writes, const std::vector<std::size_t>& created,
                    const sql::Value& run, std::int64_t now_ms, std::vector<LeadId>& ids) {
  if (created.empty()) return {};
  if (tx.is_postgres())
    return insert_leads_by_arrays(tx, tenant_id, connection_id, writes, created, run, now_ms, ids);
  std::size_t done = 0;
  while (done < created.size()) {
    const std::size_t left = created.size() - done;
    std::size_t rows = 1;
    for (std::size_t n : kInsertChunks)
      if (n <= left) {
        rows = n;
        break;
      }
    sql::Params params;
    params.reserve(rows * kInsertColumns);
    for (std::size_t k = done; k < done + rows; ++k) {
      sql::Params row = insert_row(tenant_id, connection_id, writes[created[k]], run, now_ms);
      std::move(row.begin(), row.end(), std::back_inserter(params));
    }
    Result<sql::QueryResult> r = tx.query(insert_text(rows), params);
    if (!r.ok()) return r.error();
    if (Status s = assign_ids(*r, created, done, rows, ids); !s.ok()) return s;
    done += rows;
  }
  return {};
}

// PostgreSQL's lookups: each key list binds as one array, and each key is looked up on its own
// (a LATERAL subquery per key of unnest; OFFSET 0 keeps the planner from turning it into a join),
// which the planner always runs as an index probe on the index that holds all of the lookup's
// columns, with or without statistics. As an IN list, `= ANY(...)` or a join, the keys are
// estimated, until the table is first analyzed, to match a large part of it, and a first sync's
// lookups scanned every lead of the tenant: 10.7 ms (IN) and 29 ms (join) a page at 50,000
// leads, against 0.2 ms.
std::string lookup_by_array(const std::string& columns, const std::string& type, const std::string& where) {
  return "SELECT x.* FROM unnest(?::" + type + "[]) AS k(v) CROSS JOIN LATERAL (SELECT " + columns +
         " FROM leads WHERE " + where + " OFFSET 0) x";
}
const std::string kCandidateColumns = "id, crm_provider, crm_id, phone_e164, email_norm, source";
const std::string kCandidatesByArrays =
    lookup_by_array(kCandidateColumns, "text", "tenant_id = ? AND crm_provider = ? AND crm_id = k.v") +
    " UNION ALL " + lookup_by_array(kCandidateColumns, "text", "tenant_id = ? AND phone_e164 = k.v") +
    " UNION ALL " + lookup_by_array(kCandidateColumns, "text", "tenant_id = ? AND email_norm = k.v");
const std::string kStoredLeadsByArrays = lookup_by_array(kLeadColumns, "bigint", "tenant_id = ? AND id = k.v");
const std::string kPhoneColumns = "phone_raw, phone_e164, phone_valid, phone_region";
const std::string kStoredPhonesByArrays =
    lookup_by_array(kPhoneColumns, "text", "tenant_id = ? AND crm_provider = ? AND crm_id = k.v");

Error lead_not_found(TenantId tenant_id, LeadId id) {
  return not_found("lead " + std::to_string(id.value()) + " does not exist in tenant " + std::to_string(tenant_id.value()));
}

}  // namespace

Result<std::vector<core::ExistingLead>> SqlStore::find_lead_candidates(
    TenantId tenant_id, const std::string& provider, const std::vector<std::string>& crm_ids,
    const std::vector<std::string>& phones, const std::vector<std::string>& emails) {
  static const std::string kSelect =
      "SELECT id, crm_provider, crm_id, phone_e164, email_norm, source FROM leads WHERE tenant_id = ?";
  static const std::string kByCrmId = kSelect + " AND crm_provider = ? AND crm_id";
  static const std::string kByPhone = kSelect + " AND phone_e164";
  static const std::string kByEmail = kSelect + " AND email_norm";

  std::vector<sql::Row> rows;
  const std::vector<std::string> crm_keys =
      provider.empty() ? std::vector<std::string>() : distinct_keys(crm_ids);
  if (db_->is_postgres()) {
    Result<sql::QueryResult> r =
        db_->query(Access::read, kCandidatesByArrays,
                   {sql::array_literal(crm_keys), tenant_id.value(), provider,
                    sql::array_literal(distinct_keys(phones)), tenant_id.value(),
                    sql::array_literal(distinct_keys(emails)), tenant_id.value()});
    if (!r.ok()) return to_store_error(r.error());
    rows = std::move(r->rows);
  } else {
    if (Status s = query_in(*db_, nullptr, kByCrmId, {tenant_id.value(), provider}, crm_keys, "", rows); !s.ok())
      return to_store_error(s.error());
    if (Status s = query_in(*db_, nullptr, kByPhone, {tenant_id.value()}, distinct_keys(phones), "", rows); !s.ok())
      return to_store_error(s.error());
    if (Status s = query_in(*db_, nullptr, kByEmail, {tenant_id.value()}, distinct_keys(emails), "", rows); !s.ok())
      return to_store_error(s.error());
  }

  std::vector<core::ExistingLead> out;
  std::unordered_set<std::int64_t> seen;
  for (const sql::Row& row : rows) {
    if (!seen.insert(row.int64(0)).second) continue;
    out.push_back(core::ExistingLead{row.int64(0), row.text(1), row.text(2), row.text(3), row.text(4),
                                     row.text(5) == "manual"});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

namespace {

// A write of the same contact as it was before the stored row's state (the CRM's updated_at is
// older): a sync page read before a webhook's newer write lands after it. Writing it would put old
// values back, so it is skipped; the next change of the contact brings it on.
bool is_older_state(const Lead& in, const Lead& stored) {
  return in.crm_updated_at_ms && stored.crm_updated_at_ms && in.crm_id == stored.crm_id &&
         in.crm_provider == stored.crm_provider && *in.crm_updated_at_ms < *stored.crm_updated_at_ms;
}

// The feed entry the archive just wrote (the leads trigger's lead.archived, the lead's newest
// entry) becomes lead.merged, naming the contact it was merged into: one entry, in the same
// transaction, so a merge is never told as a plain archive nor told twice.
Status record_merge(sql::Transaction& tx, TenantId tenant_id, LeadId lead_id, const std::string& merged_into) {
  Result<sql::QueryResult> r = tx.query(
      "UPDATE changes SET type = 'lead.merged', detail = ? WHERE seq = (SELECT MAX(seq) FROM changes "
      "WHERE tenant_id = ? AND object_kind = 'lead' AND object_id = ?) AND type = 'lead.archived'",
      {merged_into, tenant_id.value(), lead_id.value()});
  if (!r.ok()) return r.error();
  return {};
}

}  // namespace

Result<LeadBatchResult> SqlStore::apply_lead_batch(TenantId tenant_id, ConnectionId connection_id,
                                                   const std::vector<LeadWrite>& writes,
                                                   const std::string& cursor_json,
                                                   const std::optional<LeaseHold>& lease, TimePoint now) {
  const std::int64_t now_ms = to_epoch_ms(now);
  static const std::string kUpdate =
      "UPDATE leads SET name = ?, email = ?, email_norm = ?, phone_raw = ?, phone_e164 = ?, phone_valid = ?, "
      "phone_region = COALESCE(?, phone_region), crm_connection_id = ?, crm_provider = ?, crm_id = ?, crm_owner = ?, crm_owner_email = ?, crm_status = "
      "?, "
      "crm_stage = ?, crm_description = ?, crm_last_activity_at = ?, crm_archived_at = ?, crm_updated_at = "
      "?, "
      "match_reason = ?, updated_at = ?, updated_run = ? WHERE tenant_id = ? AND id = ?";
  // `+tenant_id` keeps SQLite from using leads_list: without statistics it would rather scan all
  // of the tenant's leads than seek a long IN list of ids by primary key.
  static const std::string kSelectLeads =
      std::string("SELECT ") + kLeadColumns + " FROM leads WHERE +tenant_id = ? AND id";

  Result<sql::Transaction> begun = db_->begin(Access::write);
  if (!begun.ok()) return to_store_error(begun.error());
  sql::Transaction& tx = *begun;

  // First: a worker whose run was swept or taken over writes nothing (not even the cursor).
  // The run the lease is for: each lead records the runs that created and last changed it.
  sql::Value run = nullptr;
  if (lease) {
    if (Status s = detail::check_lease(tx, *lease, now_ms); !s.ok()) return s.error();
    Result<sql::QueryResult> job = tx.query("SELECT run_id FROM jobs WHERE id = ?", {lease->job_id.value()});
    if (!job.ok()) return to_store_error(job.error());
    if (!job->empty()) run = job->rows.front().int64(0);
  }
  // The connection must be the tenant's: leads link to it and its cursor is written below.
  Result<sql::QueryResult> owner =
      tx.query("SELECT id FROM crm_connections WHERE tenant_id = ? AND id = ?", {tenant_id.value(), connection_id.value()});
  if (!owner.ok()) return to_store_error(owner.error());
  if (owner->empty()) {
    return not_found("CRM connection " + std::to_string(connection_id.value()) + " does not exist in tenant " +
                     std::to_string(tenant_id.value()));
  }

  // Every row an update touches, read in one query to tell real changes from unchanged ones.
  std::vector<std::int64_t> update_ids;
  for (const LeadWrite& w : writes) {
    if (w.lead.id != LeadId{0}) update_ids.push_back(w.lead.id.value());
  }
  std::sort(update_ids.begin(), update_ids.end());
  update_ids.erase(std::unique(update_ids.begin(), update_ids.end()), update_ids.end());
  std::vector<sql::Row> stored_rows;
  if (tx.is_postgres()) {
    if (!update_ids.empty()) {
      Result<sql::QueryResult> r =
          tx.query(kStoredLeadsByArrays, {sql::array_literal(update_ids), tenant_id.value()});
      if (!r.ok()) return to_store_error(r.error());
      stored_rows = std::move(r->rows);
    }
  } else if (Status s = query_in(*db_, &tx, kSelectLeads, {tenant_id.value()}, update_ids, "", stored_rows);
             !s.ok()) {
    return to_store_error(s.error());
  }
  std::unordered_map<LeadId, Lead> stored;
  for (const sql::Row& row : stored_rows) {
    Lead lead = lead_from(row);
    stored.emplace(lead.id, std::move(lead));
  }

  LeadBatchResult result;
  result.ids.reserve(writes.size());
  std::vector<std::size_t> created;  // indexes into writes (and result.ids) of the new leads
  for (std::size_t i = 0; i < writes.size(); ++i) {
    const LeadWrite& w = writes[i];
    const Lead& in = w.lead;
    if (in.id == LeadId{0}) {
      created.push_back(i);
      result.ids.push_back(LeadId{0});  // known after the insert below
      continue;
    }

    auto found = stored.find(in.id);
    if (found == stored.end()) return lead_not_found(tenant_id, in.id);
    if (is_older_state(in, found->second)) {
      ++result.unchanged;
      continue;
    }
    Lead next = merged(found->second, w, connection_id);
    result.ids.push_back(in.id);
    if (same_values(next, found->second)) {
      ++result.unchanged;
      continue;
    }
    Result<sql::QueryResult> r =
        tx.query(kUpdate, sql::bind(contact_params(next), phone_region_param(in),
                                    crm_link_params(next.crm_connection_id, next), crm_detail_params(next), now_ms,
                                    run, tenant_id, in.id));
    if (!r.ok()) return to_store_error(r.error());
    if (!w.merged_into.empty() && !found->second.crm_archived_at_ms && next.crm_archived_at_ms) {
      if (Status s = record_merge(tx, tenant_id, in.id, w.merged_into); !s.ok()) return to_store_error(s.error());
    }
    // A later write of the same lead in this page compares against what this one wrote.
    found->second = std::move(next);
    ++result.updated;
  }

  if (Status s = insert_leads(tx, tenant_id, connection_id, writes, created, run, now_ms, result.ids); !s.ok())
    return to_store_error(s.error());
  result.created += static_cast<int>(created.size());

  if (!cursor_json.empty()) {
    Result<sql::QueryResult> r =
        tx.query("UPDATE crm_connections SET cursor = ?, updated_at = ? WHERE tenant_id = ? AND id = ?",
                 {cursor_json, now_ms, tenant_id.value(), connection_id.value()});
    if (!r.ok()) return to_store_error(r.error());
  }
  if (Status s = tx.commit(); !s.ok()) return to_store_error(s.error());
  return result;
}

Result<std::int64_t> SqlStore::count_connection_leads(TenantId tenant_id, ConnectionId connection_id) {
  // leads_connection (tenant_id, crm_connection_id) answers it from the index alone.
  Result<sql::QueryResult> r =
      db_->query(Access::read, "SELECT COUNT(*) FROM leads WHERE tenant_id = ? AND crm_connection_id = ?",
                 {tenant_id.value(), connection_id.value()});
  if (!r.ok()) return to_store_error(r.error());
  return r->rows.at(0).int64(0);
}

Result<std::vector<StoredPhone>> SqlStore::find_stored_phones(TenantId tenant_id, const std::string& provider,
                                                              const std::vector<std::string>& crm_ids) {
  // The unique (tenant_id, crm_provider, crm_id) index finds each row.
  static const std::string kByCrmId =
      "SELECT " + kPhoneColumns + " FROM leads WHERE tenant_id = ? AND crm_provider = ? AND crm_id";
  std::vector<sql::Row> rows;
  const std::vector<std::string> keys = distinct_keys(crm_ids);
  if (keys.empty()) return std::vector<StoredPhone>{};
  if (db_->is_postgres()) {
    Result<sql::QueryResult> r = db_->query(Access::read, kStoredPhonesByArrays,
                                            {sql::array_literal(keys), tenant_id.value(), provider});
    if (!r.ok()) return to_store_error(r.error());
    rows = std::move(r->rows);
  } else if (Status s = query_in(*db_, nullptr, kByCrmId, {tenant_id.value(), provider}, keys, "", rows); !s.ok()) {
    return to_store_error(s.error());
  }
  std::vector<StoredPhone> out;
  out.reserve(rows.size());
  for (const sql::Row& row : rows) {
    StoredPhone phone;
    sql::read_row(row, phone.raw, phone.e164, phone.valid, phone.region);
    if (!phone.raw.empty()) out.push_back(std::move(phone));
  }
  return out;
}

Result<Lead> SqlStore::create_lead(TenantId tenant_id, const Lead& lead, TimePoint now) {
  const std::int64_t now_ms = to_epoch_ms(now);
  static const std::string kSql =
      std::string(
          "INSERT INTO leads (tenant_id, source, name, email, email_norm, phone_raw, phone_e164, "
          "phone_valid, phone_region, match_reason, created_at, updated_at) "
          "VALUES (?, 'manual', ?, ?, ?, ?, ?, ?, ?, 'manual', ?, ?) RETURNING ") +
      kLeadColumns;
  Result<sql::QueryResult> r = db_->query(Access::write, kSql,
                                          sql::bind(tenant_id, contact_params(lead), lead.phone_region, now_ms, now_ms));
  if (!r.ok()) return to_store_error(r.error());
  return lead_from(r->rows.at(0));
}

Result<std::optional<Lead>> SqlStore::find_lead(TenantId tenant_id, LeadId id) {
  static const std::string kSql =
      std::string("SELECT ") + kLeadColumns + " FROM leads WHERE tenant_id = ? AND id = ?";
  return detail::first_row(db_->query(Access::read, kSql, {tenant_id.value(), id.value()}), lead_from);
}

Result<LeadPage> SqlStore::list_leads(TenantId tenant_id, const LeadQuery& query) {
  const int limit = std::clamp(query.limit, 1, kMaxPageSize);
  // The sort column comes from the enum, never from input; a lead without the time sorts as 0.
  const std::string key = query.sort == LeadSort::updated_at         ? "updated_at"
                          : query.sort == LeadSort::last_activity_at ? "COALESCE(crm_last_activity_at, 0)"
                                                                     : "created_at";
  const char* order = query.ascending ? "ASC" : "DESC";
  std::string text = std::string("SELECT ") + kLeadColumns + ", " + key + " FROM leads WHERE tenant_id = ?";
  sql::Params params{tenant_id.value()};
  if (query.after) {
    const char* past = query.ascending ? ">" : "<";
    text += " AND (" + key + " " + past + " ? OR (" + key + " = ? AND id " + past + " ?))";
    params.insert(params.end(), {query.after->sort_ms, query.after->sort_ms, query.after->id});
  }
  const auto equal = [&](const char* column, const std::string& value) {
    if (value.empty()) return;
    text += std::string(" AND ") + column + " = ?";
    params.emplace_back(value);
  };
  equal("source", query.source);
  equal("crm_status", query.status);
  equal("crm_stage", query.stage);
  if (!query.owner.empty()) {
    text += " AND (crm_owner = ? OR crm_owner_email = ?)";
    params.insert(params.end(), {query.owner, query.owner});
  }
  if (query.connection_id) {
    text += " AND crm_connection_id = ?";
    params.emplace_back(query.connection_id->value());
  }
  if (query.archived)
    text += *query.archived ? " AND crm_archived_at IS NOT NULL" : " AND crm_archived_at IS NULL";
  if (!query.q.empty()) {
    // LOWER() on both backends, not ILIKE (PostgreSQL only) or LIKE (case-insensitive only on SQLite).
    text +=
        " AND (LOWER(name) LIKE ? ESCAPE '\\' OR LOWER(email) LIKE ? ESCAPE '\\' OR LOWER(phone_raw) LIKE ? "
        "ESCAPE '\\' OR LOWER(phone_e164) LIKE ? ESCAPE '\\'";
    const std::string pattern = like_pattern(query.q);
    params.insert(params.end(), {pattern, pattern, pattern, pattern});
    // A number typed in any format finds the lead by its E.164 form.
    if (!query.q_e164.empty()) {
      text += " OR phone_e164 = ?";
      params.emplace_back(query.q_e164);
    }
    text += ")";
  }
  // One row more than asked tells whether another page exists.
  text += " ORDER BY " + key + " " + order + ", id " + order + " LIMIT ?";
  params.emplace_back(std::int64_t{limit + 1});

  Result<sql::QueryResult> r = db_->query(Access::read, text, params);
  if (!r.ok()) return to_store_error(r.error());
  LeadPage page;
  constexpr std::size_t kSortColumn = 25;  // after kLeadColumns' 25 columns
  for (std::size_t i = 0; i < r->rows.size(); ++i) {
    if (static_cast<int>(page.items.size()) == limit) {
      page.next = PageCursor{r->rows[i - 1].int64(kSortColumn), page.items.back().id.value()};
      break;
    }
    page.items.push_back(lead_from(r->rows[i]));
  }
  return page;
}

Result<std::vector<DayCount>> SqlStore::leads_per_day(TenantId tenant_id, std::int64_t from_ms,
                                                      std::int64_t to_ms) {
  // Integer division on both backends (BIGINT / BIGINT): the UTC day the lead was created.
  static const std::string kSql =
      "SELECT created_at / 86400000 AS d, source, COUNT(*) FROM leads WHERE tenant_id = ? AND created_at >= "
      "? "
      "AND created_at < ? GROUP BY d, source ORDER BY d, source";
  return detail::all_rows(db_->query(Access::read, kSql, {tenant_id.value(), from_ms, to_ms}),
                          [](const sql::Row& row) {
                            return DayCount{row.int64(0) * 86'400'000, row.text(1), row.int64(2)};
                          });
}

}  // namespace tenantsync::store
