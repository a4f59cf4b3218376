-- The ledger (one row per request) and the virtual keys. Costs are NUMERIC: exact decimal USD, summed in SQL.
CREATE TABLE ledger (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id text NOT NULL UNIQUE,
  time timestamptz NOT NULL,
  key_id text,
  endpoint text NOT NULL,
  provider text,
  model text,
  stream boolean NOT NULL,
  status integer NOT NULL,
  error_type text,
  latency_ms double precision NOT NULL,
  ttft_ms double precision,
  input_tokens bigint NOT NULL,
  cache_read_tokens bigint NOT NULL,
  cache_write_tokens bigint NOT NULL,
  output_tokens bigint NOT NULL,
  reasoning_tokens bigint NOT NULL,
  cost numeric,
  estimated boolean NOT NULL,
  unpriced boolean NOT NULL);

CREATE INDEX ledger_time ON ledger (time);
CREATE INDEX ledger_key_time ON ledger (key_id, time);

CREATE TABLE keys (
  prefix text PRIMARY KEY,
  hash text NOT NULL UNIQUE,
  name text,
  disabled boolean NOT NULL,
  scopes text[] NOT NULL,
  retention text NOT NULL,
  threshold numeric,
  rpm integer,
  tpm bigint,
  max_parallel integer,
  allowed_models text[] NOT NULL,
  expires_at timestamptz,
  metadata jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  deleted_at timestamptz);

-- A number that moves with every change to keys, and a notice to every listening instance, whoever made the change
-- (the gateway, 'tollgate keys', or SQL by hand).
CREATE TABLE keys_version (id integer PRIMARY KEY CHECK (id = 1), version bigint NOT NULL);
INSERT INTO keys_version (id, version) VALUES (1, 0);

CREATE FUNCTION keys_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE keys_version SET version = version + 1 WHERE id = 1;
  PERFORM pg_notify('tollgate_keys', '');
  RETURN NULL;
END $$;

CREATE TRIGGER keys_changed AFTER INSERT OR UPDATE OR DELETE ON keys FOR EACH STATEMENT EXECUTE FUNCTION keys_changed();
