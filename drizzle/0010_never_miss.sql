ALTER TABLE "notifications" DROP CONSTRAINT "notifications_type_check";--> statement-breakpoint
DROP INDEX "notifications_unemailed_idx";--> statement-breakpoint
ALTER TABLE "notifications" ALTER COLUMN "order_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "last_seen_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "notifications_unemailed_idx" ON "notifications" USING btree ("id") WHERE "notifications"."type" = 'order_notification' and "notifications"."read_at" is null and "notifications"."emailed_at" is null;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_order_check" CHECK ("notifications"."order_id" is not null or "notifications"."type" = 'notifications_read');--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_type_check" CHECK (type in ('order_notification', 'order_status_update', 'order_confirmed', 'order_seen', 'notifications_read'));--> statement-breakpoint
-- Issue 12: an acknowledgement travels like any notification. Marking a recipient's notifications
-- read (all up to an id, or those of one order) writes, when it changed something and the
-- recipient is a seller, one 'notifications_read' row (already read: it never counts as unread
-- and is never emailed) with its NOTIFY, so every tab and device of that seller hears it on its
-- stream and stops alerting. The recipient's advisory lock (the key of 0002's
-- orderbell_lock_recipients) is taken first, so per recipient ids still commit in id order.
-- Hand-written; self-contained, so it can be renumbered.
CREATE OR REPLACE FUNCTION orderbell_mark_read(recipient text, up_to bigint, p_order_id bigint) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
  marked int;
  new_id bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(1869, hashtext(recipient));
  UPDATE notifications SET read_at = now()
  WHERE recipient_id = recipient AND read_at IS NULL
    AND (up_to IS NULL OR id <= up_to) AND (p_order_id IS NULL OR order_id = p_order_id);
  GET DIAGNOSTICS marked = ROW_COUNT;
  IF marked > 0 AND EXISTS (SELECT 1 FROM users WHERE id = recipient AND role = 'seller') THEN
    INSERT INTO notifications (recipient_id, type, order_id, payload, read_at, created_at)
    VALUES (recipient, 'notifications_read', p_order_id, jsonb_build_object('marked', marked, 'upTo', up_to, 'orderId', p_order_id), now(), clock_timestamp())
    RETURNING id INTO new_id;
    PERFORM pg_notify('orderbell', new_id || ':' || recipient);
  END IF;
  RETURN marked;
END $$;
--> statement-breakpoint
-- As in 0002, plus: a store changing its own part (confirming it, say) acknowledges its
-- notifications about that order. Done here, after orderbell_lock_recipients took every lock of
-- the order in its sorted order: marking read earlier in the transaction would take the store's
-- lock out of that order and could deadlock with a checkout by the same customer.
CREATE OR REPLACE FUNCTION orderbell_seller_order_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  o orders%ROWTYPE;
  store sellers%ROWTYPE;
  body jsonb;
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.status IS NOT DISTINCT FROM OLD.status THEN
    RETURN NULL;
  END IF;
  PERFORM orderbell_lock_recipients(NEW.order_id);
  SELECT * INTO o FROM orders WHERE id = NEW.order_id;
  SELECT * INTO store FROM sellers WHERE id = NEW.seller_id;
  body := jsonb_build_object(
    'orderId', o.id, 'orderNumber', o.order_number, 'sellerOrderId', NEW.id, 'sellerId', store.id,
    'storeName', store.name, 'status', NEW.status, 'subtotal', NEW.subtotal, 'customerName', o.customer_name);
  IF TG_OP = 'INSERT' THEN
    PERFORM orderbell_notify(store.user_id, 'order_notification', o.id, NEW.id, body);
  ELSE
    body := body || jsonb_build_object('from', OLD.status, 'to', NEW.status);
    PERFORM orderbell_notify(o.customer_id, 'order_status_update', o.id, NEW.id, body);
    IF NEW.status = 'confirmed' THEN
      PERFORM orderbell_notify(o.customer_id, 'order_confirmed', o.id, NEW.id, body);
    END IF;
    IF NEW.changed_by IS DISTINCT FROM store.user_id THEN
      PERFORM orderbell_notify(store.user_id, 'order_status_update', o.id, NEW.id, body);
    ELSE
      PERFORM orderbell_mark_read(store.user_id, NULL, o.id);
    END IF;
  END IF;
  RETURN NULL;
END $$;
