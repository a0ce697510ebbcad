CREATE TABLE "part_confirmations" (
	"seller_order_id" bigint PRIMARY KEY NOT NULL,
	"seller_id" integer NOT NULL,
	"placed_at" timestamp with time zone NOT NULL,
	"confirmed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "store_day_figures" (
	"day" date NOT NULL,
	"seller_id" integer NOT NULL,
	"parts" integer NOT NULL,
	"orders" integer NOT NULL,
	"revenue" bigint NOT NULL,
	"pending" integer NOT NULL,
	"confirmed" integer NOT NULL,
	"shipped" integer NOT NULL,
	"delivered" integer NOT NULL,
	"cancelled" integer NOT NULL,
	"confirmations" integer NOT NULL,
	CONSTRAINT "store_day_figures_day_seller_id_pk" PRIMARY KEY("day","seller_id")
);
--> statement-breakpoint
ALTER TABLE "part_confirmations" ADD CONSTRAINT "part_confirmations_seller_order_id_seller_orders_id_fk" FOREIGN KEY ("seller_order_id") REFERENCES "public"."seller_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "part_confirmations" ADD CONSTRAINT "part_confirmations_seller_id_sellers_id_fk" FOREIGN KEY ("seller_id") REFERENCES "public"."sellers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_day_figures" ADD CONSTRAINT "store_day_figures_seller_id_sellers_id_fk" FOREIGN KEY ("seller_id") REFERENCES "public"."sellers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "part_confirmations_seller_idx" ON "part_confirmations" USING btree ("seller_id","placed_at","confirmed_at");--> statement-breakpoint
CREATE INDEX "store_day_figures_seller_idx" ON "store_day_figures" USING btree ("seller_id","day");--> statement-breakpoint
CREATE INDEX "sellers_name_lower_idx" ON "sellers" USING btree (lower("name") text_pattern_ops);--> statement-breakpoint
-- The stats' daily rollups (decision 018), kept by triggers whose bodies live in drizzle/functions
-- (decision 013). The stubs here raise instead of returning NULL: between this migration's commit
-- and the function files' (the next step of the same start), a write by another process must fail
-- and be retried rather than be left out of the rollup for good.
CREATE FUNCTION orderbell_store_day_parts() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'drizzle/functions not applied yet'; END $$;
--> statement-breakpoint
CREATE FUNCTION orderbell_store_day_order_moved() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'drizzle/functions not applied yet'; END $$;
--> statement-breakpoint
CREATE FUNCTION orderbell_part_confirmed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'drizzle/functions not applied yet'; END $$;
--> statement-breakpoint
-- The triggers first: creating them locks seller_orders, orders and order_events against writes
-- until this migration commits, so the backfill below reads a state no order changes meanwhile.
CREATE TRIGGER store_day_figures_parts_insert AFTER INSERT ON seller_orders
REFERENCING NEW TABLE AS new_parts FOR EACH STATEMENT EXECUTE FUNCTION orderbell_store_day_parts();
--> statement-breakpoint
CREATE TRIGGER store_day_figures_parts_update AFTER UPDATE ON seller_orders
REFERENCING OLD TABLE AS old_parts NEW TABLE AS new_parts FOR EACH STATEMENT EXECUTE FUNCTION orderbell_store_day_parts();
--> statement-breakpoint
CREATE TRIGGER store_day_figures_parts_delete AFTER DELETE ON seller_orders
FOR EACH STATEMENT EXECUTE FUNCTION orderbell_store_day_parts();
--> statement-breakpoint
CREATE TRIGGER orders_store_day_moved AFTER UPDATE OF created_at ON orders
FOR EACH ROW WHEN (OLD.created_at IS DISTINCT FROM NEW.created_at) EXECUTE FUNCTION orderbell_store_day_order_moved();
--> statement-breakpoint
CREATE TRIGGER order_events_part_confirmed AFTER INSERT ON order_events
FOR EACH ROW WHEN (NEW.to_status = 'confirmed' AND NEW.seller_order_id IS NOT NULL) EXECUTE FUNCTION orderbell_part_confirmed();
--> statement-breakpoint
-- Backfill: each part's first confirmation, then every part of every order, as the triggers count them.
INSERT INTO part_confirmations (seller_order_id, seller_id, placed_at, confirmed_at)
SELECT so.id, so.seller_id, o.created_at, min(e.created_at)
FROM order_events e JOIN seller_orders so ON so.id = e.seller_order_id AND so.order_id = e.order_id JOIN orders o ON o.id = so.order_id
WHERE e.to_status = 'confirmed'
GROUP BY so.id, so.seller_id, o.created_at;
--> statement-breakpoint
INSERT INTO store_day_figures
SELECT (o.created_at AT TIME ZONE 'UTC')::date, so.seller_id, count(*),
  count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM seller_orders s WHERE s.order_id = so.order_id AND s.id < so.id)),
  coalesce(sum(so.subtotal) FILTER (WHERE so.status <> 'cancelled'), 0),
  count(*) FILTER (WHERE so.status = 'pending'), count(*) FILTER (WHERE so.status = 'confirmed'),
  count(*) FILTER (WHERE so.status = 'shipped'), count(*) FILTER (WHERE so.status = 'delivered'),
  count(*) FILTER (WHERE so.status = 'cancelled'), count(c.seller_order_id)
FROM seller_orders so JOIN orders o ON o.id = so.order_id LEFT JOIN part_confirmations c ON c.seller_order_id = so.id
GROUP BY 1, 2;
