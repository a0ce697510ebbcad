-- pgbench custom script: what src/orders/service.ts placeOrder runs for one order, as SQL:
-- the rate-limit slot (src/ops/rate-limit.ts reserveSlot, its own short transaction), then the
-- order transaction (lock the products in id order, one CTE writing everything).
-- Variables (set by bench/lib/pgbench.ts with -D): customers, products.
-- Differences from the app, all small: the customer's details are constants (the app has them
-- from the session), and the lines are read back from the locked product rows instead of
-- arriving as a JSON parameter. Each line has quantity 1, as in the HTTP load.
-- 'order:' || 'bc' is split so that pgbench does not read ':bc' inside the literal as a variable.
\set c random(1, :customers)
\set n random(1, 4)
\set p1 random(1, :products)
\set p2 random(1, :products)
\set p3 random(1, :products)
\set p4 random(1, :products)
BEGIN;
SELECT pg_advisory_xact_lock(hashtext('order:' || 'bc' || :c::text));
SELECT count(*)::int AS n, ceil(extract(epoch FROM min(at) + interval '60 seconds' - now()))::int AS wait
  FROM rate_limit_hits WHERE key = 'order:' || 'bc' || :c::text AND at > now() - interval '60 seconds';
INSERT INTO rate_limit_hits (key) VALUES ('order:' || 'bc' || :c::text) RETURNING id;
COMMIT;
BEGIN;
SELECT id, seller_id, name, price, stock, active FROM products
  WHERE id = ANY((ARRAY[:p1::int, :p2::int, :p3::int, :p4::int])[1:(:n)::int]) ORDER BY id FOR UPDATE;
WITH lines AS (
  SELECT p.id AS "productId", p.seller_id AS "sellerId", p.name, p.price, 1 AS quantity
  FROM products p WHERE p.id = ANY((ARRAY[:p1::int, :p2::int, :p3::int, :p4::int])[1:(:n)::int])
), taken AS (
  UPDATE products p SET stock = p.stock - l.quantity FROM lines l WHERE p.id = l."productId" RETURNING p.id
), o AS (
  INSERT INTO orders (customer_id, customer_name, customer_email, customer_phone, delivery_address, notes,
    total_amount, payment_method, estimated_delivery, idempotency_key)
  VALUES ('bc' || :c::text, 'Customer', 'customer@bench.test', '+1 555 0001', '1 Bench Street, Testville', '',
    (SELECT sum(price * quantity) FROM lines), 'cash_on_delivery', now() + make_interval(days => 5), NULL)
  RETURNING id, order_number
), items AS (
  INSERT INTO order_items (order_id, product_id, seller_id, name, price, quantity, subtotal)
  SELECT o.id, l."productId", l."sellerId", l.name, l.price, l.quantity, l.price * l.quantity FROM o, lines l
), parts AS (
  INSERT INTO seller_orders (order_id, seller_id, subtotal, changed_by)
  SELECT o.id, l."sellerId", sum(l.price * l.quantity), 'bc' || :c::text FROM o, lines l GROUP BY o.id, l."sellerId"
), placed AS (
  INSERT INTO order_events (order_id, actor_id, actor_role, type, to_status)
  SELECT o.id, 'bc' || :c::text, 'customer', 'placed', 'pending' FROM o
), cart AS (
  DELETE FROM cart_items WHERE user_id = 'bc' || :c::text AND product_id IN (SELECT "productId" FROM lines)
)
SELECT o.id::int AS id, o.order_number AS "orderNumber" FROM o, (SELECT count(*) FROM taken) t;
COMMIT;
