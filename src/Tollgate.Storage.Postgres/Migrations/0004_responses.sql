-- Stored Responses API responses (store: true), shared by every instance so previous_response_id and
-- GET /v1/responses/{id} work whichever instance a client reaches. The JSON is kept as text, byte for byte.
CREATE TABLE responses (
  id text PRIMARY KEY,
  owner text NOT NULL,
  upstream text,
  created_at timestamptz NOT NULL,
  input_items text NOT NULL,
  conversation text NOT NULL,
  response text NOT NULL);

CREATE INDEX responses_created ON responses (created_at);
