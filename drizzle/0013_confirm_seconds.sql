DROP INDEX "part_confirmations_seller_idx";--> statement-breakpoint
ALTER TABLE "part_confirmations" ADD COLUMN "seconds" double precision GENERATED ALWAYS AS (extract(epoch from (confirmed_at - placed_at))::float8) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "part_confirmations_seller_idx" ON "part_confirmations" USING btree ("seller_id","placed_at","seconds");