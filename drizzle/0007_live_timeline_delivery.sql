ALTER TABLE "notifications" DROP CONSTRAINT "notifications_type_check";--> statement-breakpoint
CREATE INDEX "notifications_created_brin_idx" ON "notifications" USING brin ("created_at");--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_type_check" CHECK (type in ('order_notification', 'order_status_update', 'order_confirmed', 'order_seen'));--> statement-breakpoint
-- "Seen by the store" reaches the customer live: when a store first opens an order (a 'seen'
-- order event), the customer gets an order_seen notification. Like the status triggers (0002),
-- it is a constraint trigger deferred to commit time that takes the order's recipient locks
-- first, so per recipient, notification ids still commit in id order.
-- The body is superseded: the current one is drizzle/functions/orderbell_order_seen_notify.sql, applied after the
-- migrations at every start (docs/decisions/013).
CREATE FUNCTION orderbell_order_seen_notify() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER order_events_seen_notify
AFTER INSERT ON order_events
DEFERRABLE INITIALLY DEFERRED
FOR EACH ROW WHEN (NEW.type = 'seen' AND NEW.seller_order_id IS NOT NULL)
EXECUTE FUNCTION orderbell_order_seen_notify();
