#pragma once
// The call log: the mirror's executions as people browse them (filtered, searched, joined with
// their agent), a call's detail cached from the voice platform, the calls of one phone number,
// and the aggregates the dashboard charts. Also one mirror record by id (an agent's or a
// campaign's page). One area of the Store (store.hpp); SQL in src/store/sql_store_calls.cpp.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/mirror.hpp"
#include "core/result.hpp"
#include "store/execution_columns.hpp"
#include "store/sync_records.hpp"

namespace tenantsync::store {

/// Filters of GET /api/executions. Newest first on COALESCE(upstream_created_at, created_at).
struct CallQuery {
  std::string agent_id;                 ///< upstream agent id; empty: any
  std::string status;                   ///< empty: any
  std::string batch_id;                 ///< upstream campaign (batch) id; empty: any
  std::string number_e164;              ///< from or to number equals it (a lead's calls); empty: any
  std::string q;                        ///< case-insensitive substring of the id, agent/batch id or numbers
  std::string q_e164;                   ///< q read as a phone number, when it is one: equal from/to number
  std::optional<std::int64_t> from_ms;  ///< inclusive
  std::optional<std::int64_t> to_ms;    ///< exclusive
  bool include_archived = false;        ///< a lead's calls include executions a sync archived
  int limit = 50;
  std::optional<PageCursor> after;
};

/// One execution as the call log shows it.
struct CallRow {
  MirrorItem item;
  std::string agent_name;                ///< the mirrored agent's name; empty when not mirrored
  std::optional<MirrorRowId> agent_row;  ///< the agent's mirror row, for links
  std::string from_e164;
  std::string to_e164;
  std::optional<double> duration_s;
  std::optional<double> cost;
  std::string campaign_name;  ///< the mirrored campaign's name (its file name); empty when none
  std::optional<MirrorRowId> campaign_row;
};

struct CallPage {
  std::vector<CallRow> items;
  std::optional<PageCursor> next;
};

/// What the voice platform answered for one execution, as cached.
struct CallDetail {
  MirrorRowId execution_id{0};
  std::string transcript;             ///< cut at the bound when transcript_truncated
  std::int64_t transcript_bytes = 0;  ///< its size as the platform sent it
  bool transcript_truncated = false;
  std::string recording_url;
  std::string extracted_data_json = "null";  ///< JSON values as the platform sent them (bounded)
  std::string cost_breakdown_json = "null";
  std::string telephony_data_json = "null";
  std::int64_t fetched_at_ms = 0;
};

/// What an execution's detail says of its list columns (service/call_service fills them from the
/// detail, whose values are fresher and more complete than a trimmed listing row's).
struct CallColumnsUpdate {
  std::string fields_json;   ///< the stored fields with the detail's fields over them
  std::string status;        ///< empty: keep
  std::string batch_id;      ///< empty: keep
  ExecutionColumns columns;  ///< from fields_json; an empty or absent value keeps the stored one
};

/// Calls counted by status, with their average duration and cost (over calls that have one).
struct CallStats {
  std::int64_t calls = 0;
  std::vector<std::pair<std::string, std::int64_t>> by_status;  ///< most frequent first
  std::optional<double> average_duration_s;
  std::optional<double> average_cost;
  std::optional<double> total_cost;
};

/// An agent's calls for the per-agent chart.
struct AgentCallStats {
  std::string agent_id;  ///< upstream id
  std::string agent_name;
  std::optional<MirrorRowId> agent_row;
  std::int64_t calls = 0;
  std::optional<double> average_duration_s;
  std::optional<double> average_cost;
};

class CallStore {
 public:
  virtual ~CallStore() = default;

  /// One page of executions (active ones, unless include_archived), newest first.
  virtual Result<CallPage> list_calls(TenantId tenant_id, const CallQuery& query) = 0;
  /// One execution of the tenant (active or archived); nullopt when there is none.
  virtual Result<std::optional<CallRow>> find_call(TenantId tenant_id, MirrorRowId id) = 0;
  /// The cached detail of an execution; nullopt when it was never fetched.
  virtual Result<std::optional<CallDetail>> find_call_detail(TenantId tenant_id, MirrorRowId id) = 0;
  /// Caches (or replaces) an execution's detail; "not_found" when the execution is not the tenant's.
  virtual Status save_call_detail(TenantId tenant_id, const CallDetail& detail) = 0;
  /// Fills an execution's list columns and fields from its detail, leaving its content hash (so
  /// the next sync of an unchanged listing row leaves them); "not_found" when not the tenant's.
  virtual Status update_call_columns(TenantId tenant_id, MirrorRowId id, const CallColumnsUpdate& update) = 0;
  /// Active executions of an agent or of a campaign (upstream ids; empty: any), by status.
  virtual Result<CallStats> call_stats(TenantId tenant_id, const std::string& agent_id,
                                       const std::string& batch_id) = 0;
  /// Executions created in [from, to) per UTC day and status, oldest day first.
  virtual Result<std::vector<DayCount>> calls_per_day(TenantId tenant_id, std::int64_t from_ms,
                                                      std::int64_t to_ms) = 0;
  /// Active executions per agent (every agent id the executions name), most calls first.
  virtual Result<std::vector<AgentCallStats>> calls_per_agent(TenantId tenant_id) = 0;
  /// One mirror row of the tenant by id (active or archived); nullopt when there is none.
  virtual Result<std::optional<MirrorItem>> find_mirror_item(TenantId tenant_id, core::Resource resource,
                                                             MirrorRowId id) = 0;
};

}  // namespace tenantsync::store
