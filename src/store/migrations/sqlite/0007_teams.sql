-- Teams (docs/store.md, "Teams and the audit log"): a role per user, invitations, the audit log.
-- Users that exist before teams were the one login of their tenant, so they become owners.
ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'owner';

-- An invitation is a one-time link: only the hash of its token is stored.
CREATE TABLE invitations (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL UNIQUE,
  email TEXT NOT NULL,
  role TEXT NOT NULL,
  invited_by INTEGER,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  accepted_at BIGINT
);
CREATE INDEX invitations_tenant ON invitations (tenant_id, created_at);

-- Who did what, when, from where. Rows are only added, and removed only by retention or with
-- their tenant: an UPDATE is refused by the trigger below.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  at BIGINT NOT NULL,
  actor_user_id BIGINT,
  actor_email TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  action TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_list ON audit_log (tenant_id, id);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
