-- What the admin search looks in, lowercased: the order number, the customer's name, email and
-- phone as typed, the phone's digits alone (so "5550202" finds "+1 555 0202") and the address.
-- The stored column orders.search_text is generated from it: a change here does not recompute
-- existing rows, so it needs a migration that rewrites the column too (docs/decisions/013).
CREATE OR REPLACE FUNCTION order_search_text(order_number text, name text, email text, phone text, address text)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN lower(order_number || ' ' || name || ' ' || email || ' ' || phone || ' ' || regexp_replace(phone, '\D', '', 'g') || ' ' || address);
