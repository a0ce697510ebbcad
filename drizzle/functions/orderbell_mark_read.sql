-- Issue 12: an acknowledgement travels like any notification. Marking a recipient's notifications
-- read (all up to an id, or those of one order) writes, when it changed something and the
-- recipient is a seller, one 'notifications_read' row (already read: it never counts as unread
-- and is never emailed) with its NOTIFY, so every tab and device of that seller hears it on its
-- stream and stops alerting. The recipient's advisory lock (the key of 0002's
-- orderbell_lock_recipients) is taken first, so per recipient ids still commit in id order.
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
