CREATE TABLE "mail_campaign_questions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"category" text NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mail_campaign_targets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"service_id" uuid,
	"service_name" text NOT NULL,
	"address" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mail_campaigns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"mailbox_id" uuid NOT NULL,
	"name" text NOT NULL,
	"mode" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"probes_per_service" integer DEFAULT 1 NOT NULL,
	"window_start" integer DEFAULT 540 NOT NULL,
	"window_end" integer DEFAULT 1020 NOT NULL,
	"seed" text NOT NULL,
	"signature_checklist" text[] NOT NULL,
	"deadline_days" integer DEFAULT 5 NOT NULL,
	"holiday_zone" text DEFAULT 'metropole' NOT NULL,
	"whit_monday_worked" boolean DEFAULT false NOT NULL,
	"retention_days" integer DEFAULT 365 NOT NULL,
	"variables" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"launched_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"last_analysed_at" timestamp with time zone,
	"purged_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "mail_corrections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"reply_id" uuid NOT NULL,
	"field" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"user_id" uuid,
	"user_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mail_probes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"target_id" uuid NOT NULL,
	"question_id" uuid,
	"origin" text NOT NULL,
	"state" text DEFAULT 'planned' NOT NULL,
	"to_address" text NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"token" text,
	"message_id" text NOT NULL,
	"planned_at" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"sent_copy" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mail_raw_messages" (
	"reply_id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"raw" "bytea" NOT NULL,
	"size" integer NOT NULL,
	"truncated" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mail_replies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"mailbox_id" uuid NOT NULL,
	"campaign_id" uuid,
	"probe_id" uuid,
	"folder" text NOT NULL,
	"uid_validity" text NOT NULL,
	"uid" bigint NOT NULL,
	"dedupe_key" text NOT NULL,
	"message_id" text,
	"from_address" text,
	"subject" text,
	"received_at" timestamp with time zone NOT NULL,
	"size" integer NOT NULL,
	"malformed" boolean DEFAULT false NOT NULL,
	"text" text,
	"full_text" text,
	"detected_class" text NOT NULL,
	"reply_class" text NOT NULL,
	"confidence" real DEFAULT 0 NOT NULL,
	"reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"match_method" text,
	"matched_probe_id" uuid,
	"detected_signature" jsonb,
	"signature" jsonb,
	"anonymity_justified" boolean DEFAULT false NOT NULL,
	"bounce_kind" text,
	"bounce_recipient" text,
	"bounce_diagnostic" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"purged_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "mailbox_cursors" (
	"mailbox_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"folder" text NOT NULL,
	"uid_validity" text NOT NULL,
	"last_uid" bigint DEFAULT 0 NOT NULL,
	"last_sync_at" timestamp with time zone,
	CONSTRAINT "mailbox_cursors_mailbox_id_folder_pk" PRIMARY KEY("mailbox_id","folder")
);
--> statement-breakpoint
CREATE TABLE "mystery_mailboxes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"display_name" text NOT NULL,
	"address" text NOT NULL,
	"smtp_host" text NOT NULL,
	"smtp_port" integer NOT NULL,
	"smtp_security" text DEFAULT 'starttls' NOT NULL,
	"smtp_user" text DEFAULT '' NOT NULL,
	"smtp_password_sealed" text,
	"imap_host" text NOT NULL,
	"imap_port" integer NOT NULL,
	"imap_tls" boolean DEFAULT true NOT NULL,
	"imap_user" text NOT NULL,
	"imap_password_sealed" text,
	"inbox_folder" text DEFAULT 'INBOX' NOT NULL,
	"sent_folder" text DEFAULT 'Sent' NOT NULL,
	"server_saves_sent" boolean DEFAULT false NOT NULL,
	"plus_addressing" boolean DEFAULT false NOT NULL,
	"last_check_at" timestamp with time zone,
	"last_check_ok" boolean,
	"last_check_message" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "mail_campaign_questions" ADD CONSTRAINT "mail_campaign_questions_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_campaign_questions" ADD CONSTRAINT "mail_campaign_questions_campaign_id_mail_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."mail_campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_campaign_targets" ADD CONSTRAINT "mail_campaign_targets_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_campaign_targets" ADD CONSTRAINT "mail_campaign_targets_campaign_id_mail_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."mail_campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_campaign_targets" ADD CONSTRAINT "mail_campaign_targets_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_campaigns" ADD CONSTRAINT "mail_campaigns_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_campaigns" ADD CONSTRAINT "mail_campaigns_mailbox_id_mystery_mailboxes_id_fk" FOREIGN KEY ("mailbox_id") REFERENCES "public"."mystery_mailboxes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_campaigns" ADD CONSTRAINT "mail_campaigns_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_corrections" ADD CONSTRAINT "mail_corrections_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_corrections" ADD CONSTRAINT "mail_corrections_reply_id_mail_replies_id_fk" FOREIGN KEY ("reply_id") REFERENCES "public"."mail_replies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_corrections" ADD CONSTRAINT "mail_corrections_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_probes" ADD CONSTRAINT "mail_probes_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_probes" ADD CONSTRAINT "mail_probes_campaign_id_mail_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."mail_campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_probes" ADD CONSTRAINT "mail_probes_target_id_mail_campaign_targets_id_fk" FOREIGN KEY ("target_id") REFERENCES "public"."mail_campaign_targets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_probes" ADD CONSTRAINT "mail_probes_question_id_mail_campaign_questions_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."mail_campaign_questions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_raw_messages" ADD CONSTRAINT "mail_raw_messages_reply_id_mail_replies_id_fk" FOREIGN KEY ("reply_id") REFERENCES "public"."mail_replies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_raw_messages" ADD CONSTRAINT "mail_raw_messages_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_replies" ADD CONSTRAINT "mail_replies_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_replies" ADD CONSTRAINT "mail_replies_mailbox_id_mystery_mailboxes_id_fk" FOREIGN KEY ("mailbox_id") REFERENCES "public"."mystery_mailboxes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_replies" ADD CONSTRAINT "mail_replies_campaign_id_mail_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."mail_campaigns"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_replies" ADD CONSTRAINT "mail_replies_probe_id_mail_probes_id_fk" FOREIGN KEY ("probe_id") REFERENCES "public"."mail_probes"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mailbox_cursors" ADD CONSTRAINT "mailbox_cursors_mailbox_id_mystery_mailboxes_id_fk" FOREIGN KEY ("mailbox_id") REFERENCES "public"."mystery_mailboxes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mailbox_cursors" ADD CONSTRAINT "mailbox_cursors_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mystery_mailboxes" ADD CONSTRAINT "mystery_mailboxes_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "mail_campaign_questions_campaign_idx" ON "mail_campaign_questions" USING btree ("campaign_id");--> statement-breakpoint
CREATE UNIQUE INDEX "mail_campaign_targets_uq" ON "mail_campaign_targets" USING btree ("campaign_id","address");--> statement-breakpoint
CREATE INDEX "mail_campaigns_org_idx" ON "mail_campaigns" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "mail_campaigns_mailbox_idx" ON "mail_campaigns" USING btree ("mailbox_id");--> statement-breakpoint
CREATE INDEX "mail_corrections_reply_idx" ON "mail_corrections" USING btree ("reply_id");--> statement-breakpoint
CREATE INDEX "mail_probes_campaign_idx" ON "mail_probes" USING btree ("campaign_id");--> statement-breakpoint
CREATE UNIQUE INDEX "mail_probes_message_uq" ON "mail_probes" USING btree ("campaign_id","message_id");--> statement-breakpoint
CREATE UNIQUE INDEX "mail_probes_token_uq" ON "mail_probes" USING btree ("token");--> statement-breakpoint
CREATE UNIQUE INDEX "mail_replies_dedupe_uq" ON "mail_replies" USING btree ("mailbox_id","dedupe_key");--> statement-breakpoint
CREATE INDEX "mail_replies_probe_idx" ON "mail_replies" USING btree ("probe_id");--> statement-breakpoint
CREATE INDEX "mail_replies_campaign_idx" ON "mail_replies" USING btree ("campaign_id");--> statement-breakpoint
CREATE INDEX "mail_replies_org_idx" ON "mail_replies" USING btree ("org_id","received_at");--> statement-breakpoint
CREATE INDEX "mystery_mailboxes_org_idx" ON "mystery_mailboxes" USING btree ("org_id");