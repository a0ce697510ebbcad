-- Notifications are written by the database, in the same transaction as the change that causes
-- them, so a committed order or status change always has its notification rows, and a rolled
-- back one never does. Each row is followed by pg_notify('orderbell', '<id>:<recipientUserId>'):
-- only ids travel (NOTIFY payloads are small and lost when nobody listens); the row is the truth
-- and streams replay from the table.
CREATE FUNCTION orderbell_notify(recipient text, kind text, p_order_id bigint, p_seller_order_id bigint, body jsonb)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  new_id bigint;
BEGIN
  INSERT INTO notifications (recipient_id, type, order_id, seller_order_id, payload)
  VALUES (recipient, kind, p_order_id, p_seller_order_id, body)
  RETURNING id INTO new_id;
  PERFORM pg_notify('orderbell', new_id || ':' || recipient);
END $$;
--> statement-breakpoint
-- A new seller order tells the store's owner about the order.
-- A status change tells the customer (and also 'order_confirmed' when it became confirmed),
-- and the store's owner when someone else (the customer or an admin) made the change.
CREATE FUNCTION orderbell_seller_order_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  o orders%ROWTYPE;
  store sellers%ROWTYPE;
  body jsonb;
BEGIN
  SELECT * INTO o FROM orders WHERE id = NEW.order_id;
  SELECT * INTO store FROM sellers WHERE id = NEW.seller_id;
  body := jsonb_build_object(
    'orderId', o.id, 'orderNumber', o.order_number, 'sellerOrderId', NEW.id, 'sellerId', store.id,
    'storeName', store.name, 'status', NEW.status, 'subtotal', NEW.subtotal, 'customerName', o.customer_name);
  IF TG_OP = 'INSERT' THEN
    PERFORM orderbell_notify(store.user_id, 'order_notification', o.id, NEW.id, body);
  ELSIF NEW.status IS DISTINCT FROM OLD.status THEN
    body := body || jsonb_build_object('from', OLD.status, 'to', NEW.status);
    PERFORM orderbell_notify(o.customer_id, 'order_status_update', o.id, NEW.id, body);
    IF NEW.status = 'confirmed' THEN
      PERFORM orderbell_notify(o.customer_id, 'order_confirmed', o.id, NEW.id, body);
    END IF;
    IF NEW.changed_by IS DISTINCT FROM store.user_id THEN
      PERFORM orderbell_notify(store.user_id, 'order_status_update', o.id, NEW.id, body);
    END IF;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER seller_orders_notify
AFTER INSERT OR UPDATE OF status ON seller_orders
FOR EACH ROW EXECUTE FUNCTION orderbell_seller_order_notify();
