-- The leads list's index in the list's own order (docs/store.md, "Indexes"): GET /api/leads sorts
-- by created_at DESC, id DESC, and the index had id ascending, so each page sorted every lead of
-- the newest created_at first. A first sync creates a whole batch of leads at one created_at (up
-- to 500), so the first page of the list read and sorted 500 rows to answer 20.
DROP INDEX leads_list;
CREATE INDEX leads_list ON leads (tenant_id, created_at DESC, id DESC);
