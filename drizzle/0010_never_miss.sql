ALTER TABLE "notifications" DROP CONSTRAINT "notifications_type_check";--> statement-breakpoint
DROP INDEX "notifications_unemailed_idx";--> statement-breakpoint
ALTER TABLE "notifications" ALTER COLUMN "order_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "last_seen_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "notifications_unemailed_idx" ON "notifications" USING btree ("id") WHERE "notifications"."type" = 'order_notification' and "notifications"."read_at" is null and "notifications"."emailed_at" is null;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_order_check" CHECK ("notifications"."order_id" is not null or "notifications"."type" = 'notifications_read');--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_type_check" CHECK (type in ('order_notification', 'order_status_update', 'order_confirmed', 'order_seen', 'notifications_read'));
