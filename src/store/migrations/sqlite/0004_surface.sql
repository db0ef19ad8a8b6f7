-- The product surface (docs/store.md, "The call log and the lead browser"): what the call log
-- filters, sorts and aggregates by, stored as columns instead of read out of the fields JSON.
--
-- Executions: the numbers in E.164 (normalized with the tenant's region when the mirror writes
-- the row), the duration in seconds and the cost. Rows stored before this migration get them
-- from their fields here; a number not already written as "+digits" stays NULL until the row
-- changes upstream.
ALTER TABLE executions ADD COLUMN from_e164 TEXT;
ALTER TABLE executions ADD COLUMN to_e164 TEXT;
ALTER TABLE executions ADD COLUMN duration_s REAL;
ALTER TABLE executions ADD COLUMN cost REAL;
UPDATE executions SET
  duration_s = CASE WHEN json_type(fields, '$.conversation_duration') IN ('integer', 'real')
                    THEN json_extract(fields, '$.conversation_duration') END,
  cost = CASE WHEN json_type(fields, '$.total_cost') IN ('integer', 'real')
              THEN json_extract(fields, '$.total_cost') END,
  from_e164 = CASE WHEN json_extract(fields, '$.from_number') GLOB '+[1-9][0-9]*'
                    AND json_extract(fields, '$.from_number') NOT GLOB '*[^0-9+]*'
                   THEN json_extract(fields, '$.from_number') END,
  to_e164 = CASE WHEN json_extract(fields, '$.to_number') GLOB '+[1-9][0-9]*'
                  AND json_extract(fields, '$.to_number') NOT GLOB '*[^0-9+]*'
                 THEN json_extract(fields, '$.to_number') END
WHERE json_valid(fields);

-- A lead's calls: executions whose from or to number is the lead's.
CREATE INDEX executions_from ON executions (tenant_id, from_e164);
CREATE INDEX executions_to ON executions (tenant_id, to_e164);
-- The call log's filters, each with the list's sort order behind it.
CREATE INDEX executions_agent_recent
  ON executions (tenant_id, agent_id, (COALESCE(upstream_created_at, created_at)) DESC, id DESC);
CREATE INDEX executions_batch_recent
  ON executions (tenant_id, batch_id, (COALESCE(upstream_created_at, created_at)) DESC, id DESC);
CREATE INDEX executions_status_recent
  ON executions (tenant_id, status, (COALESCE(upstream_created_at, created_at)) DESC, id DESC);

-- A call's detail (transcript, recording, extracted data, cost breakdown, telephony data) as the
-- voice platform answered GET /executions/{id} the first time someone opened the call; read from
-- here afterwards. The transcript is kept up to a bound (transcript_truncated, transcript_bytes:
-- its size as sent); the JSON columns hold the platform's objects as it sent them (bounded).
CREATE TABLE execution_details (
  tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  execution_id INTEGER NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  transcript TEXT NOT NULL DEFAULT '',
  transcript_bytes BIGINT NOT NULL DEFAULT 0,
  transcript_truncated INTEGER NOT NULL DEFAULT 0,
  recording_url TEXT NOT NULL DEFAULT '',
  extracted_data TEXT NOT NULL DEFAULT 'null',
  cost_breakdown TEXT NOT NULL DEFAULT 'null',
  telephony_data TEXT NOT NULL DEFAULT 'null',
  fetched_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, execution_id)
);
CREATE INDEX execution_details_execution ON execution_details (execution_id);

-- Leads: the runs that created and last changed a lead (NULL for manual leads and for leads
-- written before this migration), and the lead browser's filters and sorts.
ALTER TABLE leads ADD COLUMN created_run BIGINT;
ALTER TABLE leads ADD COLUMN updated_run BIGINT;
CREATE INDEX leads_source ON leads (tenant_id, source, created_at DESC, id DESC);
CREATE INDEX leads_owner ON leads (tenant_id, crm_owner);
CREATE INDEX leads_status ON leads (tenant_id, crm_status);
CREATE INDEX leads_stage ON leads (tenant_id, crm_stage);
CREATE INDEX leads_connection ON leads (tenant_id, crm_connection_id);
CREATE INDEX leads_updated ON leads (tenant_id, updated_at DESC, id DESC);
