-- Notifications are written by the database, in the same transaction as the change that causes
-- them, so a committed order or status change always has its notification rows, and a rolled
-- back one never does. Each row is followed by pg_notify('orderbell', '<id>:<recipientUserId>'):
-- only ids travel (NOTIFY payloads are small and lost when nobody listens); the row is the truth
-- and streams replay from the table.
-- The body is superseded: the current one is drizzle/functions/orderbell_notify.sql, applied after the
-- migrations at every start (docs/decisions/013).
CREATE FUNCTION orderbell_notify(recipient text, kind text, p_order_id bigint, p_seller_order_id bigint, body jsonb)
RETURNS void LANGUAGE plpgsql AS $$ BEGIN RETURN; END $$;
--> statement-breakpoint
-- A new seller order tells the store's owner about the order.
-- A status change tells the customer (and also 'order_confirmed' when it became confirmed),
-- and the store's owner when someone else (the customer or an admin) made the change.
-- The body is superseded: the current one is drizzle/functions/orderbell_seller_order_notify.sql, applied after the
-- migrations at every start (docs/decisions/013).
CREATE FUNCTION orderbell_seller_order_notify() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
--> statement-breakpoint
CREATE TRIGGER seller_orders_notify
AFTER INSERT OR UPDATE OF status ON seller_orders
FOR EACH ROW EXECUTE FUNCTION orderbell_seller_order_notify();
