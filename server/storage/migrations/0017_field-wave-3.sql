ALTER TABLE "mail_probes" ADD COLUMN "reply_bounced" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "mail_probes" ADD COLUMN "first_acknowledged_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "mail_probes" ADD COLUMN "first_answered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "mail_sampling_runs" ADD COLUMN "drawn_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sampled_mails" ADD COLUMN "review_decision" text;--> statement-breakpoint
ALTER TABLE "sampled_mails" ADD COLUMN "reviewed_by" uuid;--> statement-breakpoint
ALTER TABLE "sampled_mails" ADD COLUMN "reviewed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sampled_mails" ADD COLUMN "reviewed_answered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sampled_mails" ADD COLUMN "reviewed_within" boolean;--> statement-breakpoint
ALTER TABLE "sampled_mails" ADD COLUMN "reviewed_delay_days" double precision;--> statement-breakpoint
ALTER TABLE "sampled_mails" ADD CONSTRAINT "sampled_mails_reviewed_by_users_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "report_answer_counts_item_day_idx" ON "report_answer_counts" USING btree ("item","day");