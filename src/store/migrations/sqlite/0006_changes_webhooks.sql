-- The change feed and outbound webhooks (docs/store.md, "The change feed and webhooks out").
--
-- changes: one row per applied change, numbered by seq. The rows are written by the triggers
-- below, inside the transaction that makes the change, so whatever writes the leads, the mirror
-- or the runs (batched or not) feeds the feed, and a change and its entry commit together.
-- AUTOINCREMENT: a seq is never used again, even after the oldest rows are pruned. SQLite has one
-- writer, so seq order is commit order.
CREATE TABLE changes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  type TEXT NOT NULL,
  object_kind TEXT NOT NULL,
  object_id BIGINT NOT NULL,
  upstream_id TEXT,
  detail TEXT,
  occurred_at BIGINT NOT NULL
);
CREATE INDEX changes_tenant ON changes (tenant_id, seq);
CREATE INDEX changes_occurred ON changes (occurred_at);

-- Leads: created; archived and restored (crm_archived_at set or cleared); updated when a field a
-- person sees changed (not when a sync only touched updated_at or updated_run).
CREATE TRIGGER leads_feed_insert AFTER INSERT ON leads
BEGIN
  INSERT INTO changes (tenant_id, type, object_kind, object_id, upstream_id, detail, occurred_at)
  VALUES (NEW.tenant_id, 'lead.created', 'lead', NEW.id, NEW.crm_id, NEW.source, NEW.created_at);
END;
CREATE TRIGGER leads_feed_update AFTER UPDATE ON leads
WHEN (OLD.crm_archived_at IS NULL) <> (NEW.crm_archived_at IS NULL)
  OR OLD.name IS NOT NEW.name OR OLD.email IS NOT NEW.email OR OLD.phone_raw IS NOT NEW.phone_raw
  OR OLD.phone_e164 IS NOT NEW.phone_e164 OR OLD.crm_connection_id IS NOT NEW.crm_connection_id
  OR OLD.crm_id IS NOT NEW.crm_id OR OLD.crm_owner IS NOT NEW.crm_owner
  OR OLD.crm_owner_email IS NOT NEW.crm_owner_email OR OLD.crm_status IS NOT NEW.crm_status
  OR OLD.crm_stage IS NOT NEW.crm_stage OR OLD.crm_description IS NOT NEW.crm_description
  OR OLD.crm_last_activity_at IS NOT NEW.crm_last_activity_at
BEGIN
  INSERT INTO changes (tenant_id, type, object_kind, object_id, upstream_id, detail, occurred_at)
  VALUES (NEW.tenant_id,
          CASE WHEN OLD.crm_archived_at IS NULL AND NEW.crm_archived_at IS NOT NULL THEN 'lead.archived'
               WHEN OLD.crm_archived_at IS NOT NULL AND NEW.crm_archived_at IS NULL THEN 'lead.restored'
               ELSE 'lead.updated' END,
          'lead', NEW.id, NEW.crm_id, NEW.source, NEW.updated_at);
END;

-- The voice mirror: created; archived and restored (archived_at set or cleared); updated when the
-- upstream content changed (content_hash), not when a sync only saw the row again.
CREATE TRIGGER agents_feed_insert AFTER INSERT ON agents
BEGIN
  INSERT INTO changes (tenant_id, type, object_kind, object_id, upstream_id, detail, occurred_at)
  VALUES (NEW.tenant_id, 'agent.created', 'agent', NEW.id, NEW.upstream_id, NEW.status, NEW.updated_at);
END;
CREATE TRIGGER agents_feed_update AFTER UPDATE ON agents
WHEN (OLD.archived_at IS NULL) <> (NEW.archived_at IS NULL) OR OLD.content_hash IS NOT NEW.content_hash
BEGIN
  INSERT INTO changes (tenant_id, type, object_kind, object_id, upstream_id, detail, occurred_at)
  VALUES (NEW.tenant_id,
          CASE WHEN OLD.archived_at IS NULL AND NEW.archived_at IS NOT NULL THEN 'agent.archived'
               WHEN OLD.archived_at IS NOT NULL AND NEW.archived_at IS NULL THEN 'agent.restored'
               ELSE 'agent.updated' END,
          'agent', NEW.id, NEW.upstream_id, NEW.status, NEW.updated_at);
END;
CREATE TRIGGER phone_numbers_feed_insert AFTER INSERT ON phone_numbers
BEGIN
  INSERT INTO changes (tenant_id, type, object_kind, object_id, upstream_id, detail, occurred_at)
  VALUES (NEW.tenant_id, 'phone_number.created', 'phone_number', NEW.id, NEW.upstream_id, NEW.status,
          NEW.updated_at);
END;
CREATE TRIGGER phone_numbers_feed_update AFTER UPDATE ON phone_numbers
WHEN (OLD.archived_at IS NULL) <> (NEW.archived_at IS NULL) OR OLD.content_hash IS NOT NEW.content_hash
BEGIN
  INSERT INTO changes (tenant_id, type, object_kind, object_id, upstream_id, detail, occurred_at)
  VALUES (NEW.tenant_id,
          CASE WHEN OLD.archived_at IS NULL AND NEW.archived_at IS NOT NULL THEN 'phone_number.archived'
               WHEN OLD.archived_at IS NOT NULL AND NEW.archived_at IS NULL THEN 'phone_number.restored'
               ELSE 'phone_number.updated' END,
          'phone_number', NEW.id, NEW.upstream_id, NEW.status, NEW.updated_at);
END;
CREATE TRIGGER campaigns_feed_insert AFTER INSERT ON campaigns
BEGIN
  INSERT INTO changes (tenant_id, type, object_kind, object_id, upstream_id, detail, occurred_at)
  VALUES (NEW.tenant_id, 'campaign.created', 'campaign', NEW.id, NEW.upstream_id, NEW.status, NEW.updated_at);
END;
CREATE TRIGGER campaigns_feed_update AFTER UPDATE ON campaigns
WHEN (OLD.archived_at IS NULL) <> (NEW.archived_at IS NULL) OR OLD.content_hash IS NOT NEW.content_hash
BEGIN
  INSERT INTO changes (tenant_id, type, object_kind, object_id, upstream_id, detail, occurred_at)
  VALUES (NEW.tenant_id,
          CASE WHEN OLD.archived_at IS NULL AND NEW.archived_at IS NOT NULL THEN 'campaign.archived'
               WHEN OLD.archived_at IS NOT NULL AND NEW.archived_at IS NULL THEN 'campaign.restored'
               ELSE 'campaign.updated' END,
          'campaign', NEW.id, NEW.upstream_id, NEW.status, NEW.updated_at);
END;
CREATE TRIGGER executions_feed_insert AFTER INSERT ON executions
BEGIN
  INSERT INTO changes (tenant_id, type, object_kind, object_id, upstream_id, detail, occurred_at)
  VALUES (NEW.tenant_id, 'execution.created', 'execution', NEW.id, NEW.upstream_id, NEW.status,
          NEW.updated_at);
END;
CREATE TRIGGER executions_feed_update AFTER UPDATE ON executions
WHEN (OLD.archived_at IS NULL) <> (NEW.archived_at IS NULL) OR OLD.content_hash IS NOT NEW.content_hash
BEGIN
  INSERT INTO changes (tenant_id, type, object_kind, object_id, upstream_id, detail, occurred_at)
  VALUES (NEW.tenant_id,
          CASE WHEN OLD.archived_at IS NULL AND NEW.archived_at IS NOT NULL THEN 'execution.archived'
               WHEN OLD.archived_at IS NOT NULL AND NEW.archived_at IS NULL THEN 'execution.restored'
               ELSE 'execution.updated' END,
          'execution', NEW.id, NEW.upstream_id, NEW.status, NEW.updated_at);
END;

-- Runs: one entry when a run finishes (finished_at set), whatever its outcome; detail is its state.
CREATE TRIGGER sync_runs_feed_finish AFTER UPDATE OF finished_at ON sync_runs
WHEN OLD.finished_at IS NULL AND NEW.finished_at IS NOT NULL
BEGIN
  INSERT INTO changes (tenant_id, type, object_kind, object_id, upstream_id, detail, occurred_at)
  VALUES (NEW.tenant_id, 'run.finished', 'run', NEW.id, NEW.target, NEW.state, NEW.finished_at);
END;

-- Outbound webhooks: a tenant's endpoints. events: the change types it wants, comma-separated
-- ("*", "lead.*", "execution.updated"). The secret is sealed with the secret key (like stored
-- credentials). enqueued_seq: the changes up to it have their deliveries (or did not match).
-- The lease: the one instance delivering to this endpoint now (deliveries are sent one at a
-- time, in order of seq).
CREATE TABLE webhook_endpoints (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  url TEXT NOT NULL,
  events TEXT NOT NULL,
  secret_cipher TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  enqueued_seq BIGINT NOT NULL DEFAULT 0,
  lease_owner TEXT,
  lease_expires_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX webhook_endpoints_tenant ON webhook_endpoints (tenant_id, id);

-- One row per change sent (or to send) to an endpoint. delivery_key is the X-Tenantsync-Delivery
-- header (the receiver's idempotency key); state: pending, succeeded, failed.
CREATE TABLE webhook_deliveries (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  endpoint_id INTEGER NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  change_seq BIGINT NOT NULL,
  delivery_key TEXT NOT NULL,
  type TEXT NOT NULL,
  body TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  retry_until BIGINT NOT NULL,
  last_status INTEGER,
  last_error TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  delivered_at BIGINT,
  UNIQUE (endpoint_id, change_seq)
);
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (endpoint_id, state, change_seq);
CREATE INDEX webhook_deliveries_list ON webhook_deliveries (tenant_id, endpoint_id, id DESC);
CREATE INDEX webhook_deliveries_created ON webhook_deliveries (created_at);
