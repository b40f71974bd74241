ALTER TABLE "mail_probes" ADD COLUMN "reply_bounced" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "mail_probes" ADD COLUMN "first_acknowledged_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "mail_probes" ADD COLUMN "first_answer_id" uuid;--> statement-breakpoint
ALTER TABLE "mail_probes" ADD COLUMN "first_answered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "mail_probes" ADD COLUMN "first_answer_signature" jsonb;--> statement-breakpoint
ALTER TABLE "mail_probes" ADD COLUMN "first_answer_anonymity" boolean;--> statement-breakpoint
CREATE INDEX "mail_probes_sent_idx" ON "mail_probes" USING btree ("sent_at");--> statement-breakpoint
CREATE INDEX "report_answer_counts_item_day_idx" ON "report_answer_counts" USING btree ("item","day");