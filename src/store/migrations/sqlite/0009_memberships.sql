-- A person may belong to several tenants (docs/store.md, "Teams and the audit log"): one
-- membership per tenant and user holds the role there. users.tenant_id stays as the tenant a
-- login opens first (the home tenant); the role moves from the user to the membership.
CREATE TABLE memberships (
  tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);
INSERT INTO memberships (tenant_id, user_id, role, created_at)
  SELECT tenant_id, id, role, created_at FROM users;
ALTER TABLE users DROP COLUMN role;
