-- Fair claims and per-tenant run limits (src/store/sql_store_runs.cpp): claim_job serves first
-- the tenant whose latest run started longest ago (its MAX(started_at), read from this index),
-- and request_run counts a tenant's jobs (its queued and running runs) against its limit.
CREATE INDEX sync_runs_tenant_started ON sync_runs (tenant_id, started_at);
CREATE INDEX jobs_tenant ON jobs (tenant_id);
