-- The constraint trigger seller_orders_notify (deferred to commit time) runs this for each new or
-- status-changed seller order. A new seller order tells the store's owner about the order. A
-- status change tells the customer (and also 'order_confirmed' when it became confirmed), and the
-- store's owner when someone else (the customer or an admin) made the change; a change by the
-- store itself acknowledges the order for it.
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
      -- The store changing its own part (confirming it, say) acknowledges its notifications about
      -- the order (orderbell_mark_read, decision 015). Here, after orderbell_lock_recipients took
      -- every lock of the order in its sorted order: marking read earlier in the transaction would
      -- take the store's lock out of that order and could deadlock with a checkout by the same customer.
      PERFORM orderbell_mark_read(store.user_id, NULL, o.id);
    END IF;
  END IF;
  RETURN NULL;
END $$;
