-- Writes one notification row and wakes the listeners: pg_notify('orderbell', '<id>:<recipient>').
-- Only ids travel (NOTIFY payloads are small and lost when nobody listens); the row is the truth
-- and streams replay from the table (docs/decisions/001).
-- The triggers that call it run at commit time, so clock_timestamp() is, within a millisecond or
-- so, when the notification commits; now() would be when the transaction began. created_at is
-- what the commit-to-stream latency histogram measures from.
CREATE OR REPLACE FUNCTION orderbell_notify(recipient text, kind text, p_order_id bigint, p_seller_order_id bigint, body jsonb)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  new_id bigint;
BEGIN
  INSERT INTO notifications (recipient_id, type, order_id, seller_order_id, payload, created_at)
  VALUES (recipient, kind, p_order_id, p_seller_order_id, body, clock_timestamp())
  RETURNING id INTO new_id;
  PERFORM pg_notify('orderbell', new_id || ':' || recipient);
END $$;
