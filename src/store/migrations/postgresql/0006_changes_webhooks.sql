-- The change feed and outbound webhooks (docs/store.md, "The change feed and webhooks out").
--
-- changes: one row per applied change, numbered by seq. The rows are written by the triggers
-- below, inside the transaction that makes the change, so whatever writes the leads, the mirror
-- or the runs (batched or not) feeds the feed, and a change and its entry commit together.
-- Statement-level triggers with transition tables: one INSERT ... SELECT per statement, however
-- many rows a batched write touches.
--
-- Sequence values are not commit-ordered on PostgreSQL: a transaction may take seq 10, another
-- seq 11 and commit first, and a reader that saw 11 would skip 10 for ever. So before numbering
-- a tenant's changes, a trigger takes a transaction-level advisory lock on that tenant
-- (changes_lock_tenant): a tenant's changes are numbered and committed one transaction at a time,
-- so within a tenant's feed (the only way the feed is read) seq order is commit order. Other
-- tenants are not held up. Tenants are locked in ascending order, so two statements never wait
-- on each other's tenants in opposite orders.
CREATE TABLE changes (
  seq BIGSERIAL PRIMARY KEY,
  tenant_id BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  type TEXT NOT NULL,
  object_kind TEXT NOT NULL,
  object_id BIGINT NOT NULL,
  upstream_id TEXT,
  detail TEXT,
  occurred_at BIGINT NOT NULL
);
CREATE INDEX changes_tenant ON changes (tenant_id, seq);
CREATE INDEX changes_occurred ON changes (occurred_at);

-- 1667590003: the feed's advisory lock class ("ch" + 3); the second key is the tenant.
CREATE FUNCTION changes_lock_tenant(tenant BIGINT) RETURNS void LANGUAGE sql AS $$
  SELECT pg_advisory_xact_lock(1667590003, (tenant % 2147483647)::int)
$$;

-- Leads: created; archived and restored (crm_archived_at set or cleared); updated when a field a
-- person sees changed (not when a sync only touched updated_at or updated_run).
CREATE FUNCTION leads_feed_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM changes_lock_tenant(t.tenant_id) FROM (SELECT DISTINCT tenant_id FROM new_rows ORDER BY 1) t;
  INSERT INTO changes (tenant_id, type, object_kind, object_id, upstream_id, detail, occurred_at)
  SELECT tenant_id, 'lead.created', 'lead', id, crm_id, source, created_at FROM new_rows ORDER BY id;
  RETURN NULL;
END $$;

CREATE FUNCTION leads_feed_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM changes_lock_tenant(t.tenant_id)
    FROM (SELECT DISTINCT n.tenant_id FROM new_rows n JOIN old_rows o ON o.id = n.id
          WHERE (o.crm_archived_at IS NULL) <> (n.crm_archived_at IS NULL)
             OR (o.name, o.email, o.phone_raw, o.phone_e164, o.crm_connection_id, o.crm_id, o.crm_owner,
                 o.crm_owner_email, o.crm_status, o.crm_stage, o.crm_description, o.crm_last_activity_at)
                IS DISTINCT FROM
                (n.name, n.email, n.phone_raw, n.phone_e164, n.crm_connection_id, n.crm_id, n.crm_owner,
                 n.crm_owner_email, n.crm_status, n.crm_stage, n.crm_description, n.crm_last_activity_at)
          ORDER BY 1) t;
  INSERT INTO changes (tenant_id, type, object_kind, object_id, upstream_id, detail, occurred_at)
  SELECT n.tenant_id,
         CASE WHEN o.crm_archived_at IS NULL AND n.crm_archived_at IS NOT NULL THEN 'lead.archived'
              WHEN o.crm_archived_at IS NOT NULL AND n.crm_archived_at IS NULL THEN 'lead.restored'
              ELSE 'lead.updated' END,
         'lead', n.id, n.crm_id, n.source, n.updated_at
  FROM new_rows n JOIN old_rows o ON o.id = n.id
  WHERE (o.crm_archived_at IS NULL) <> (n.crm_archived_at IS NULL)
     OR (o.name, o.email, o.phone_raw, o.phone_e164, o.crm_connection_id, o.crm_id, o.crm_owner,
         o.crm_owner_email, o.crm_status, o.crm_stage, o.crm_description, o.crm_last_activity_at)
        IS DISTINCT FROM
        (n.name, n.email, n.phone_raw, n.phone_e164, n.crm_connection_id, n.crm_id, n.crm_owner,
         n.crm_owner_email, n.crm_status, n.crm_stage, n.crm_description, n.crm_last_activity_at)
  ORDER BY n.id;
  RETURN NULL;
END $$;

CREATE TRIGGER leads_feed_insert AFTER INSERT ON leads REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION leads_feed_insert();
CREATE TRIGGER leads_feed_update AFTER UPDATE ON leads REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION leads_feed_update();

-- The voice mirror (TG_ARGV[0]: the kind of row): created; archived and restored (archived_at set
-- or cleared); updated when the upstream content changed (content_hash), not when a sync only saw
-- the row again.
CREATE FUNCTION mirror_feed_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM changes_lock_tenant(t.tenant_id) FROM (SELECT DISTINCT tenant_id FROM new_rows ORDER BY 1) t;
  INSERT INTO changes (tenant_id, type, object_kind, object_id, upstream_id, detail, occurred_at)
  SELECT tenant_id, TG_ARGV[0] || '.created', TG_ARGV[0], id, upstream_id, status, updated_at
  FROM new_rows ORDER BY id;
  RETURN NULL;
END $$;

CREATE FUNCTION mirror_feed_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM changes_lock_tenant(t.tenant_id)
    FROM (SELECT DISTINCT n.tenant_id FROM new_rows n JOIN old_rows o ON o.id = n.id
          WHERE (o.archived_at IS NULL) <> (n.archived_at IS NULL) OR o.content_hash IS DISTINCT FROM n.content_hash
          ORDER BY 1) t;
  INSERT INTO changes (tenant_id, type, object_kind, object_id, upstream_id, detail, occurred_at)
  SELECT n.tenant_id,
         TG_ARGV[0] || CASE WHEN o.archived_at IS NULL AND n.archived_at IS NOT NULL THEN '.archived'
                            WHEN o.archived_at IS NOT NULL AND n.archived_at IS NULL THEN '.restored'
                            ELSE '.updated' END,
         TG_ARGV[0], n.id, n.upstream_id, n.status, n.updated_at
  FROM new_rows n JOIN old_rows o ON o.id = n.id
  WHERE (o.archived_at IS NULL) <> (n.archived_at IS NULL) OR o.content_hash IS DISTINCT FROM n.content_hash
  ORDER BY n.id;
  RETURN NULL;
END $$;

CREATE TRIGGER agents_feed_insert AFTER INSERT ON agents REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION mirror_feed_insert('agent');
CREATE TRIGGER agents_feed_update AFTER UPDATE ON agents REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION mirror_feed_update('agent');
CREATE TRIGGER phone_numbers_feed_insert AFTER INSERT ON phone_numbers REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION mirror_feed_insert('phone_number');
CREATE TRIGGER phone_numbers_feed_update AFTER UPDATE ON phone_numbers REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION mirror_feed_update('phone_number');
CREATE TRIGGER campaigns_feed_insert AFTER INSERT ON campaigns REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION mirror_feed_insert('campaign');
CREATE TRIGGER campaigns_feed_update AFTER UPDATE ON campaigns REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION mirror_feed_update('campaign');
CREATE TRIGGER executions_feed_insert AFTER INSERT ON executions REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION mirror_feed_insert('execution');
CREATE TRIGGER executions_feed_update AFTER UPDATE ON executions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION mirror_feed_update('execution');

-- Runs: one entry when a run finishes (finished_at set), whatever its outcome; detail is its state.
CREATE FUNCTION sync_runs_feed_finish() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM changes_lock_tenant(t.tenant_id)
    FROM (SELECT DISTINCT n.tenant_id FROM new_rows n JOIN old_rows o ON o.id = n.id
          WHERE o.finished_at IS NULL AND n.finished_at IS NOT NULL ORDER BY 1) t;
  INSERT INTO changes (tenant_id, type, object_kind, object_id, upstream_id, detail, occurred_at)
  SELECT n.tenant_id, 'run.finished', 'run', n.id, n.target, n.state, n.finished_at
  FROM new_rows n JOIN old_rows o ON o.id = n.id
  WHERE o.finished_at IS NULL AND n.finished_at IS NOT NULL
  ORDER BY n.id;
  RETURN NULL;
END $$;
CREATE TRIGGER sync_runs_feed_finish AFTER UPDATE ON sync_runs REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION sync_runs_feed_finish();

-- Outbound webhooks: a tenant's endpoints. events: the change types it wants, comma-separated
-- ("*", "lead.*", "execution.updated"). The secret is sealed with the secret key (like stored
-- credentials). enqueued_seq: the changes up to it have their deliveries (or did not match).
-- The lease: the one instance delivering to this endpoint now (deliveries are sent one at a
-- time, in order of seq).
CREATE TABLE webhook_endpoints (
  id BIGSERIAL PRIMARY KEY,
  tenant_id BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
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
  id BIGSERIAL PRIMARY KEY,
  tenant_id BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  endpoint_id BIGINT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
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
