-- "Pay by readings" (domain.md §9, docs/ledger.md): readings, the recalculated amount and a card payment in
-- one request. One row per Idempotency-Key, written once the readings went through the intake and the
-- amount was fixed, before the card payment is created: a retry gets the same readings answer and quote
-- and pays the same amount through the same card payment (card_payment.idempotency_key =
-- 'pay-by-readings:' || idempotency_key), whatever the balance has become since (design principle 6).
CREATE TABLE pay_by_readings (
  idempotency_key  text PRIMARY KEY,
  account_id       bigint NOT NULL REFERENCES account(id),
  -- The request's fingerprint (account, values, amount, return URL): the same key with other data is refused.
  request_hash     text NOT NULL,
  reading_id       bigint REFERENCES reading(id),
  -- The amount to pay by card; null when no payment is to be made (readings not accepted, nothing due).
  amount_kopecks   bigint CHECK (amount_kopecks > 0),
  -- The answer given: the intake's result, the quote, why nothing is paid.
  answer           jsonb NOT NULL,
  created_at       timestamptz NOT NULL
);
CREATE INDEX pay_by_readings_account_idx ON pay_by_readings (account_id, created_at);
CREATE TRIGGER pay_by_readings_write_once BEFORE UPDATE OR DELETE ON pay_by_readings
  FOR EACH ROW EXECUTE FUNCTION forbid_change();
