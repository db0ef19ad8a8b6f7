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
-- A run looks for active executions of another account (a switch) by range on this index, so a
-- run without a switch does not read the tenant's executions.
CREATE INDEX executions_account ON executions (tenant_id, upstream_account_id) WHERE archived_at IS NULL;
-- A switch back to an account looks for its executions archived by the switch away.
CREATE INDEX executions_switched ON executions (tenant_id, archive_reason, upstream_account_id)
  WHERE archived_at IS NOT NULL;

-- The summary's counts (GET /api/tenant/summary: active rows per mirror resource, and leads),
-- kept per tenant by triggers on every write of those tables, so reading them is one row and not
-- a count over the tenant's rows (docs/store.md, "Counters"). Every write path (sync, restore,
-- leads, a tenant's deletion) keeps them without knowing of them.
CREATE TABLE tenant_counts (
  tenant_id INTEGER PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
  agents INTEGER NOT NULL DEFAULT 0,
  phone_numbers INTEGER NOT NULL DEFAULT 0,
  campaigns INTEGER NOT NULL DEFAULT 0,
  executions INTEGER NOT NULL DEFAULT 0,
  leads INTEGER NOT NULL DEFAULT 0
);
INSERT INTO tenant_counts (tenant_id, agents, phone_numbers, campaigns, executions, leads)
SELECT t.id,
  (SELECT COUNT(*) FROM agents x WHERE x.tenant_id = t.id AND x.archived_at IS NULL),
  (SELECT COUNT(*) FROM phone_numbers x WHERE x.tenant_id = t.id AND x.archived_at IS NULL),
  (SELECT COUNT(*) FROM campaigns x WHERE x.tenant_id = t.id AND x.archived_at IS NULL),
  (SELECT COUNT(*) FROM executions x WHERE x.tenant_id = t.id AND x.archived_at IS NULL),
  (SELECT COUNT(*) FROM leads x WHERE x.tenant_id = t.id)
FROM tenants t;
CREATE TRIGGER tenant_counts_new_tenant AFTER INSERT ON tenants
BEGIN
  INSERT INTO tenant_counts (tenant_id) VALUES (NEW.id);
END;
CREATE TRIGGER agents_count_insert AFTER INSERT ON agents WHEN NEW.archived_at IS NULL
BEGIN
  UPDATE tenant_counts SET agents = agents + 1 WHERE tenant_id = NEW.tenant_id;
END;
CREATE TRIGGER agents_count_delete AFTER DELETE ON agents WHEN OLD.archived_at IS NULL
BEGIN
  UPDATE tenant_counts SET agents = agents - 1 WHERE tenant_id = OLD.tenant_id;
END;
CREATE TRIGGER agents_count_update AFTER UPDATE OF archived_at, tenant_id ON agents
WHEN (OLD.archived_at IS NULL) <> (NEW.archived_at IS NULL) OR OLD.tenant_id <> NEW.tenant_id
BEGIN
  UPDATE tenant_counts SET agents = agents - (OLD.archived_at IS NULL) WHERE tenant_id = OLD.tenant_id;
  UPDATE tenant_counts SET agents = agents + (NEW.archived_at IS NULL) WHERE tenant_id = NEW.tenant_id;
END;
CREATE TRIGGER phone_numbers_count_insert AFTER INSERT ON phone_numbers WHEN NEW.archived_at IS NULL
BEGIN
  UPDATE tenant_counts SET phone_numbers = phone_numbers + 1 WHERE tenant_id = NEW.tenant_id;
END;
CREATE TRIGGER phone_numbers_count_delete AFTER DELETE ON phone_numbers WHEN OLD.archived_at IS NULL
BEGIN
  UPDATE tenant_counts SET phone_numbers = phone_numbers - 1 WHERE tenant_id = OLD.tenant_id;
END;
CREATE TRIGGER phone_numbers_count_update AFTER UPDATE OF archived_at, tenant_id ON phone_numbers
WHEN (OLD.archived_at IS NULL) <> (NEW.archived_at IS NULL) OR OLD.tenant_id <> NEW.tenant_id
BEGIN
  UPDATE tenant_counts SET phone_numbers = phone_numbers - (OLD.archived_at IS NULL) WHERE tenant_id = OLD.tenant_id;
  UPDATE tenant_counts SET phone_numbers = phone_numbers + (NEW.archived_at IS NULL) WHERE tenant_id = NEW.tenant_id;
END;
CREATE TRIGGER campaigns_count_insert AFTER INSERT ON campaigns WHEN NEW.archived_at IS NULL
BEGIN
  UPDATE tenant_counts SET campaigns = campaigns + 1 WHERE tenant_id = NEW.tenant_id;
END;
CREATE TRIGGER campaigns_count_delete AFTER DELETE ON campaigns WHEN OLD.archived_at IS NULL
BEGIN
  UPDATE tenant_counts SET campaigns = campaigns - 1 WHERE tenant_id = OLD.tenant_id;
END;
CREATE TRIGGER campaigns_count_update AFTER UPDATE OF archived_at, tenant_id ON campaigns
WHEN (OLD.archived_at IS NULL) <> (NEW.archived_at IS NULL) OR OLD.tenant_id <> NEW.tenant_id
BEGIN
  UPDATE tenant_counts SET campaigns = campaigns - (OLD.archived_at IS NULL) WHERE tenant_id = OLD.tenant_id;
  UPDATE tenant_counts SET campaigns = campaigns + (NEW.archived_at IS NULL) WHERE tenant_id = NEW.tenant_id;
END;
CREATE TRIGGER executions_count_insert AFTER INSERT ON executions WHEN NEW.archived_at IS NULL
BEGIN
  UPDATE tenant_counts SET executions = executions + 1 WHERE tenant_id = NEW.tenant_id;
END;
CREATE TRIGGER executions_count_delete AFTER DELETE ON executions WHEN OLD.archived_at IS NULL
BEGIN
  UPDATE tenant_counts SET executions = executions - 1 WHERE tenant_id = OLD.tenant_id;
END;
CREATE TRIGGER executions_count_update AFTER UPDATE OF archived_at, tenant_id ON executions
WHEN (OLD.archived_at IS NULL) <> (NEW.archived_at IS NULL) OR OLD.tenant_id <> NEW.tenant_id
BEGIN
  UPDATE tenant_counts SET executions = executions - (OLD.archived_at IS NULL) WHERE tenant_id = OLD.tenant_id;
  UPDATE tenant_counts SET executions = executions + (NEW.archived_at IS NULL) WHERE tenant_id = NEW.tenant_id;
END;
CREATE TRIGGER leads_count_insert AFTER INSERT ON leads
BEGIN
  UPDATE tenant_counts SET leads = leads + 1 WHERE tenant_id = NEW.tenant_id;
END;
CREATE TRIGGER leads_count_delete AFTER DELETE ON leads
BEGIN
  UPDATE tenant_counts SET leads = leads - 1 WHERE tenant_id = OLD.tenant_id;
END;
CREATE TRIGGER leads_count_update AFTER UPDATE OF tenant_id ON leads WHEN OLD.tenant_id <> NEW.tenant_id
BEGIN
  UPDATE tenant_counts SET leads = leads - 1 WHERE tenant_id = OLD.tenant_id;
  UPDATE tenant_counts SET leads = leads + 1 WHERE tenant_id = NEW.tenant_id;
END;
