-- Changes pushed in (docs/sync.md, "Webhooks in"): each tenant's call-webhook token and the
-- durable queue of HubSpot webhook events.
--
-- The token is the credential of POST /hooks/bolna/{token}: looked up by its SHA-256 (like bearer
-- tokens) and kept sealed as well, because Settings shows the whole URL again.
CREATE TABLE hook_tokens (
  tenant_id INTEGER PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL UNIQUE,
  token_cipher TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

-- HubSpot events as received, one row per (connection, event id): a replayed event id is not
-- queued again. The worker reads the oldest pending rows of one connection and marks them
-- processed once applied; processed rows stay a day (HubSpot retries for 24 h), so a late replay
-- is still recognised, then they are deleted.
CREATE TABLE hubspot_events (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  connection_id BIGINT NOT NULL,
  event_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  object_id TEXT NOT NULL,
  merged_ids TEXT NOT NULL DEFAULT '',
  occurred_at BIGINT NOT NULL,
  received_at BIGINT NOT NULL,
  processed_at BIGINT,
  UNIQUE (connection_id, event_id)
);
CREATE INDEX hubspot_events_pending ON hubspot_events (processed_at, connection_id, id);
CREATE INDEX hubspot_events_tenant ON hubspot_events (tenant_id);
