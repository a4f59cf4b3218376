-- The output clamp and over-reporting upstreams (docs/KEYS.md). keys.clamp_min_output: null clamps a request's output
-- limit to what the budget covers with the default minimum (1,024 tokens), a positive number is the key's own minimum,
-- 0 turns the clamp off. ledger.over_reserved: USD, set only on a request whose provider reported more output than
-- the request allowed (or cost more than its reservation): what it cost beyond what admission allowed. Rows stored
-- before this version have neither.
ALTER TABLE keys ADD COLUMN clamp_min_output bigint;
ALTER TABLE ledger ADD COLUMN over_reserved numeric;
