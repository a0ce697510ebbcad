-- Streams resume "after id N" (Last-Event-ID, ?after=, the hub's catch-up), which is only safe
-- if, for each recipient, notification ids become visible in id order. With the row trigger of
-- 0001, two checkouts for the same seller could take ids 9 and 10 and commit 10 first: a stream
-- that had sent 10 would then skip 9 forever. So:
--  * the trigger is now a constraint trigger deferred to commit time, so the notification rows
--    are written as the very last work of the transaction, after every other lock is held; and
--  * before writing, it takes a transaction-level advisory lock per recipient of the order (the
--    customer and every store owner in it), in one sorted order so that two transactions can
--    never deadlock on them. A second transaction for the same recipient waits until the first
--    commits, then takes its ids: per recipient, id order = commit order = NOTIFY order.
-- The locks are held only between the deferred trigger and the commit that follows it.
-- The body is superseded: the current one is drizzle/functions/orderbell_lock_recipients.sql, applied after the
-- migrations at every start (docs/decisions/013).
CREATE OR REPLACE FUNCTION orderbell_lock_recipients(p_order_id bigint) RETURNS void LANGUAGE plpgsql AS $$ BEGIN RETURN; END $$;
--> statement-breakpoint
-- The body is superseded: the current one is drizzle/functions/orderbell_seller_order_notify.sql, applied after the
-- migrations at every start (docs/decisions/013).
CREATE OR REPLACE FUNCTION orderbell_seller_order_notify() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
--> statement-breakpoint
DROP TRIGGER seller_orders_notify ON seller_orders;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER seller_orders_notify
AFTER INSERT OR UPDATE OF status ON seller_orders
DEFERRABLE INITIALLY DEFERRED
FOR EACH ROW EXECUTE FUNCTION orderbell_seller_order_notify();
