-- Usage per UTC day, key, provider and model, kept by the database as ledger rows arrive, so usage sums over a long
-- range read a few rows per day instead of every request. Ranges that start or end inside a day read those days'
-- ledger rows through ledger_time / ledger_key_time. Missing key, provider and model are stored as ''.
CREATE TABLE usage_daily (
  day date NOT NULL,
  key_id text NOT NULL,
  provider text NOT NULL,
  model text NOT NULL,
  requests bigint NOT NULL,
  failed_requests bigint NOT NULL,
  input_tokens bigint NOT NULL,
  cache_read_tokens bigint NOT NULL,
  cache_write_tokens bigint NOT NULL,
  output_tokens bigint NOT NULL,
  reasoning_tokens bigint NOT NULL,
  cost numeric NOT NULL,
  unpriced_requests bigint NOT NULL,
  PRIMARY KEY (day, key_id, provider, model));

CREATE INDEX usage_daily_key ON usage_daily (key_id, day);

CREATE FUNCTION ledger_roll_up() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Sorted so that concurrent writers lock the same rows in the same order.
  INSERT INTO usage_daily AS u
  SELECT (time AT TIME ZONE 'UTC')::date, coalesce(key_id, ''), coalesce(provider, ''), coalesce(model, ''),
         count(*), count(*) FILTER (WHERE status >= 400),
         sum(input_tokens), sum(cache_read_tokens), sum(cache_write_tokens), sum(output_tokens), sum(reasoning_tokens),
         coalesce(sum(cost), 0), count(*) FILTER (WHERE unpriced)
  FROM new_rows GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT (day, key_id, provider, model) DO UPDATE SET
    requests = u.requests + EXCLUDED.requests,
    failed_requests = u.failed_requests + EXCLUDED.failed_requests,
    input_tokens = u.input_tokens + EXCLUDED.input_tokens,
    cache_read_tokens = u.cache_read_tokens + EXCLUDED.cache_read_tokens,
    cache_write_tokens = u.cache_write_tokens + EXCLUDED.cache_write_tokens,
    output_tokens = u.output_tokens + EXCLUDED.output_tokens,
    reasoning_tokens = u.reasoning_tokens + EXCLUDED.reasoning_tokens,
    cost = u.cost + EXCLUDED.cost,
    unpriced_requests = u.unpriced_requests + EXCLUDED.unpriced_requests;
  RETURN NULL;
END $$;

CREATE TRIGGER ledger_roll_up AFTER INSERT ON ledger REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_roll_up();

-- Rows stored before this version.
INSERT INTO usage_daily
SELECT (time AT TIME ZONE 'UTC')::date, coalesce(key_id, ''), coalesce(provider, ''), coalesce(model, ''),
       count(*), count(*) FILTER (WHERE status >= 400),
       sum(input_tokens), sum(cache_read_tokens), sum(cache_write_tokens), sum(output_tokens), sum(reasoning_tokens),
       coalesce(sum(cost), 0), count(*) FILTER (WHERE unpriced)
FROM ledger GROUP BY 1, 2, 3, 4;
