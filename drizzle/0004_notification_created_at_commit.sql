-- The trigger runs at commit time (0002), so clock_timestamp() here is, within a millisecond or
-- so, when the notification commits; now() would be when the transaction began. created_at is
-- what the commit-to-stream latency histogram measures from.
-- The body is superseded: the current one is drizzle/functions/orderbell_notify.sql, applied after the
-- migrations at every start (docs/decisions/013).
CREATE OR REPLACE FUNCTION orderbell_notify(recipient text, kind text, p_order_id bigint, p_seller_order_id bigint, body jsonb)
RETURNS void LANGUAGE plpgsql AS $$ BEGIN RETURN; END $$;
