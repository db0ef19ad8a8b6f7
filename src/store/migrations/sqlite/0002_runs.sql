-- Mirror lists sort by COALESCE(upstream_created_at, created_at) (upstream time, else when stored):
-- index that expression, in place of 0001's plain upstream_created_at order.
DROP INDEX agents_list;
DROP INDEX phone_numbers_list;
DROP INDEX campaigns_list;
DROP INDEX executions_list;
CREATE INDEX agents_recent ON agents (tenant_id, archived_at, (COALESCE(upstream_created_at, created_at)) DESC, id DESC);
CREATE INDEX phone_numbers_recent
  ON phone_numbers (tenant_id, archived_at, (COALESCE(upstream_created_at, created_at)) DESC, id DESC);
CREATE INDEX campaigns_recent
  ON campaigns (tenant_id, archived_at, (COALESCE(upstream_created_at, created_at)) DESC, id DESC);
CREATE INDEX executions_recent
  ON executions (tenant_id, archived_at, (COALESCE(upstream_created_at, created_at)) DESC, id DESC);

-- Runs and jobs of the sync engine: the plan a person confirmed, how long a run may take once
-- started (deadline_at = started_at + max_duration_ms; 0: no deadline), and the indexes the
-- lease sweep and the scheduler's lookups use.
ALTER TABLE sync_runs ADD COLUMN confirmed_plan_id TEXT;
ALTER TABLE sync_runs ADD COLUMN max_duration_ms BIGINT NOT NULL DEFAULT 0;
CREATE INDEX sync_runs_target_created ON sync_runs (tenant_id, target, created_at);
CREATE INDEX sync_runs_deadline ON sync_runs (state, deadline_at);
-- One queued or running (non-dry) run per target: request_run joins it instead of adding one.
CREATE UNIQUE INDEX sync_runs_one_active ON sync_runs (tenant_id, target)
  WHERE dry_run = 0 AND state IN ('queued', 'running');
CREATE INDEX jobs_lease ON jobs (lease_expires_at);
CREATE INDEX jobs_run ON jobs (run_id);
