-- Issue 17: admin search by parts of order numbers, names, emails, phone digits and addresses,
-- and the status filter that looks at store parts. Hand-written (drizzle-kit has no expression
-- GIN indexes over a function); self-contained, so it can be renumbered if another migration
-- takes this number first.
-- pg_trgm is a trusted extension (PostgreSQL 13+): a database owner may create it without superuser.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
-- What the admin search looks in, lowercased: the order number, the customer's name, email and
-- phone as typed, the phone's digits alone (so "5550202" finds "+1 555 0202") and the address.
CREATE OR REPLACE FUNCTION order_search_text(order_number text, name text, email text, phone text, address text)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN lower(order_number || ' ' || name || ' ' || email || ' ' || phone || ' ' || regexp_replace(phone, '\D', '', 'g') || ' ' || address);
--> statement-breakpoint
-- Stored, so that re-checking the rows a trigram lookup finds reads a column instead of rebuilding
-- the text (regexp_replace) for each row: a search whose words are common re-checks many rows.
ALTER TABLE "orders" ADD COLUMN IF NOT EXISTS "search_text" text GENERATED ALWAYS AS (order_search_text("order_number", "customer_name", "customer_email", "customer_phone", "delivery_address")) STORED;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "orders_search_trgm_idx" ON "orders" USING gin ("search_text" gin_trgm_ops);
--> statement-breakpoint
-- "Orders with any part in this status" (the status filter without a store).
CREATE INDEX IF NOT EXISTS "seller_orders_status_order_idx" ON "seller_orders" USING btree ("status", "order_id");
