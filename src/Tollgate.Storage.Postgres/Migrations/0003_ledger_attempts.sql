-- The catalog price of a free-tier request (null when it is what the request cost) and every attempt sent upstream,
-- as a JSON array of {provider, model, status, failure, latency_ms}. Rows stored before this version have neither.
ALTER TABLE ledger ADD COLUMN list_cost numeric, ADD COLUMN attempts jsonb;
