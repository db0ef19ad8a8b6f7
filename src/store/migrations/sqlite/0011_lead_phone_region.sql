-- The region a lead's phone_e164 was made in (docs/store.md, "Phones"): a sync that reads a
-- contact whose raw number and region are those of the stored form reuses the form instead of
-- parsing the number again. '' for the forms made before this column: parsed again until rewritten.
ALTER TABLE leads ADD COLUMN phone_region TEXT NOT NULL DEFAULT '';
