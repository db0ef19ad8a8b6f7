-- The whole schema (docs/store.md describes each table). Conventions: times are BIGINT epoch milliseconds, booleans are
-- INTEGER 0/1, JSON is TEXT (so SQLite and PostgreSQL share query text), and every table but
-- tenants and scheduler_ticks carries tenant_id.

CREATE TABLE tenants (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  default_region TEXT NOT NULL DEFAULT 'US',
  created_at BIGINT NOT NULL
);
CREATE INDEX tenants_name ON tenants (name);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  email TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX users_tenant ON users (tenant_id);

-- Bearer tokens, stored only as hashes.
CREATE TABLE tokens (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX tokens_expires_at ON tokens (expires_at);

CREATE TABLE tenant_settings (
  tenant_id INTEGER PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
  voice_api_key_cipher TEXT NOT NULL DEFAULT '',
  voice_key_last4 TEXT NOT NULL DEFAULT '',
  voice_base_url TEXT NOT NULL DEFAULT '',
  voice_account_id TEXT NOT NULL DEFAULT '',
  updated_at BIGINT NOT NULL
);

-- Mirror of the voice platform's agents: never hard-deleted by a sync, archived instead.
CREATE TABLE agents (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  upstream_id TEXT NOT NULL,
  upstream_account_id TEXT NOT NULL DEFAULT '',
  name TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT '',
  agent_id TEXT,
  batch_id TEXT,
  upstream_created_at BIGINT,
  upstream_updated_at BIGINT,
  fields TEXT NOT NULL DEFAULT '{}',
  raw TEXT NOT NULL DEFAULT '{}',
  content_hash TEXT NOT NULL DEFAULT '',
  first_seen_run BIGINT,
  last_seen_run BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  archived_at BIGINT,
  archive_reason TEXT,
  archive_run BIGINT,
  UNIQUE (tenant_id, upstream_id)
);
CREATE INDEX agents_list ON agents (tenant_id, archived_at, upstream_created_at DESC, id);
CREATE INDEX agents_agent ON agents (tenant_id, agent_id);

-- Mirror of the voice platform's phone numbers: never hard-deleted by a sync, archived instead.
CREATE TABLE phone_numbers (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  upstream_id TEXT NOT NULL,
  upstream_account_id TEXT NOT NULL DEFAULT '',
  name TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT '',
  agent_id TEXT,
  batch_id TEXT,
  upstream_created_at BIGINT,
  upstream_updated_at BIGINT,
  fields TEXT NOT NULL DEFAULT '{}',
  raw TEXT NOT NULL DEFAULT '{}',
  content_hash TEXT NOT NULL DEFAULT '',
  first_seen_run BIGINT,
  last_seen_run BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  archived_at BIGINT,
  archive_reason TEXT,
  archive_run BIGINT,
  UNIQUE (tenant_id, upstream_id)
);
CREATE INDEX phone_numbers_list ON phone_numbers (tenant_id, archived_at, upstream_created_at DESC, id);
CREATE INDEX phone_numbers_agent ON phone_numbers (tenant_id, agent_id);

-- Mirror of the voice platform's campaigns: never hard-deleted by a sync, archived instead.
CREATE TABLE campaigns (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  upstream_id TEXT NOT NULL,
  upstream_account_id TEXT NOT NULL DEFAULT '',
  name TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT '',
  agent_id TEXT,
  batch_id TEXT,
  upstream_created_at BIGINT,
  upstream_updated_at BIGINT,
  fields TEXT NOT NULL DEFAULT '{}',
  raw TEXT NOT NULL DEFAULT '{}',
  content_hash TEXT NOT NULL DEFAULT '',
  first_seen_run BIGINT,
  last_seen_run BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  archived_at BIGINT,
  archive_reason TEXT,
  archive_run BIGINT,
  UNIQUE (tenant_id, upstream_id)
);
CREATE INDEX campaigns_list ON campaigns (tenant_id, archived_at, upstream_created_at DESC, id);
CREATE INDEX campaigns_agent ON campaigns (tenant_id, agent_id);

-- Mirror of the voice platform's executions: never hard-deleted by a sync, archived instead.
CREATE TABLE executions (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  upstream_id TEXT NOT NULL,
  upstream_account_id TEXT NOT NULL DEFAULT '',
  name TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT '',
  agent_id TEXT,
  batch_id TEXT,
  upstream_created_at BIGINT,
  upstream_updated_at BIGINT,
  fields TEXT NOT NULL DEFAULT '{}',
  raw TEXT NOT NULL DEFAULT '{}',
  content_hash TEXT NOT NULL DEFAULT '',
  first_seen_run BIGINT,
  last_seen_run BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  archived_at BIGINT,
  archive_reason TEXT,
  archive_run BIGINT,
  UNIQUE (tenant_id, upstream_id)
);
CREATE INDEX executions_list ON executions (tenant_id, archived_at, upstream_created_at DESC, id);
CREATE INDEX executions_agent ON executions (tenant_id, agent_id);

CREATE TABLE crm_connections (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  provider TEXT NOT NULL,
  provider_account_id TEXT NOT NULL DEFAULT '',
  auth_kind TEXT NOT NULL,
  credentials_cipher TEXT NOT NULL DEFAULT '',
  nango_connection_id TEXT,
  provider_config_key TEXT,
  instance_url TEXT,
  active INTEGER NOT NULL DEFAULT 1,
  state TEXT NOT NULL DEFAULT 'connected',
  state_message TEXT NOT NULL DEFAULT '',
  rate_limited_until BIGINT,
  cursor TEXT,
  last_sync_at BIGINT,
  last_sync_created INTEGER NOT NULL DEFAULT 0,
  last_sync_updated INTEGER NOT NULL DEFAULT 0,
  last_sync_unchanged INTEGER NOT NULL DEFAULT 0,
  last_sync_error TEXT,
  next_sync_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (tenant_id, provider, provider_account_id)
);

CREATE TABLE leads (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  source TEXT NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  email TEXT,
  email_norm TEXT,
  phone_raw TEXT,
  phone_e164 TEXT,
  phone_valid INTEGER NOT NULL DEFAULT 0,
  crm_connection_id INTEGER REFERENCES crm_connections (id) ON DELETE SET NULL,
  crm_provider TEXT,
  crm_id TEXT,
  crm_owner TEXT,
  crm_owner_email TEXT,
  crm_status TEXT,
  crm_stage TEXT,
  crm_description TEXT,
  crm_last_activity_at BIGINT,
  crm_archived_at BIGINT,
  crm_updated_at BIGINT,
  match_reason TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
-- A CRM contact is one lead per tenant; manual leads (crm_id NULL) are not constrained.
CREATE UNIQUE INDEX leads_crm ON leads (tenant_id, crm_provider, crm_id) WHERE crm_id IS NOT NULL;
CREATE INDEX leads_phone ON leads (tenant_id, phone_e164);
CREATE INDEX leads_email ON leads (tenant_id, email_norm);
CREATE INDEX leads_list ON leads (tenant_id, created_at DESC, id);

CREATE TABLE sync_runs (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  target TEXT NOT NULL,
  trigger TEXT NOT NULL,
  state TEXT NOT NULL,
  dry_run INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  started_at BIGINT,
  finished_at BIGINT,
  heartbeat_at BIGINT,
  deadline_at BIGINT,
  counts TEXT NOT NULL DEFAULT '{}',
  error_code TEXT,
  error_message TEXT,
  plan TEXT,
  warnings TEXT NOT NULL DEFAULT '[]',
  upstream_account_id TEXT,
  progress TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX sync_runs_list ON sync_runs (tenant_id, created_at DESC, id);
CREATE INDEX sync_runs_target ON sync_runs (tenant_id, target, state);

-- Work for the sync workers, claimed with a lease (FOR UPDATE SKIP LOCKED on PostgreSQL).
CREATE TABLE jobs (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  run_id INTEGER NOT NULL REFERENCES sync_runs (id) ON DELETE CASCADE,
  target TEXT NOT NULL,
  run_after BIGINT NOT NULL,
  lease_owner TEXT,
  lease_expires_at BIGINT,
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);
CREATE INDEX jobs_run_after ON jobs (run_after);

CREATE TABLE sync_cursors (
  tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  target TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, target, key)
);

-- One row per scheduler tick, claimed by exactly one instance of the cluster.
CREATE TABLE scheduler_ticks (
  schedule TEXT NOT NULL,
  tick_at BIGINT NOT NULL,
  claimed_by TEXT NOT NULL,
  claimed_at BIGINT NOT NULL,
  PRIMARY KEY (schedule, tick_at)
);
