-- Executions a voice run has read but not yet applied (docs/sync.md, "Memory"): each listing
-- page is written here as it arrives, the run plans by comparing these rows with the mirror in
-- SQL, and the final transaction applies them from here and deletes them. So a run never holds
-- an account's executions in memory, whatever their number. `listing` is the agent listing a row
-- came from (its rows are dropped when that listing fails). Rows of a run that died are deleted
-- by the tenant's next voice run.
CREATE TABLE voice_staging (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  run_id INTEGER NOT NULL,
  listing TEXT NOT NULL,
  upstream_id TEXT NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT '',
  agent_id TEXT,
  batch_id TEXT,
  upstream_created_at INTEGER,
  upstream_updated_at INTEGER,
  fields TEXT NOT NULL DEFAULT '{}',
  raw TEXT NOT NULL DEFAULT '{}',
  content_hash TEXT NOT NULL DEFAULT '',
  from_e164 TEXT,
  to_e164 TEXT,
  duration_s REAL,
  cost REAL,
  UNIQUE (run_id, upstream_id)
);
CREATE INDEX voice_staging_tenant ON voice_staging (tenant_id, run_id);
-- A switch back to an account looks for its executions archived by the switch away.
CREATE INDEX executions_switched ON executions (tenant_id, archive_reason, upstream_account_id)
  WHERE archived_at IS NOT NULL;
