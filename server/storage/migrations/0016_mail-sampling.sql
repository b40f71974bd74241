CREATE TABLE "mail_sampling_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"mailbox_id" uuid NOT NULL,
	"month" date NOT NULL,
	"rule" text NOT NULL,
	"sampled" integer DEFAULT 0 NOT NULL,
	"excluded" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"ran_by" uuid,
	"ran_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sampled_mails" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"message_key" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"answered_at" timestamp with time zone,
	"within_deadline" boolean NOT NULL,
	"delay_days" double precision,
	"method" text
);
--> statement-breakpoint
ALTER TABLE "mail_sampling_runs" ADD CONSTRAINT "mail_sampling_runs_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_sampling_runs" ADD CONSTRAINT "mail_sampling_runs_mailbox_id_mystery_mailboxes_id_fk" FOREIGN KEY ("mailbox_id") REFERENCES "public"."mystery_mailboxes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_sampling_runs" ADD CONSTRAINT "mail_sampling_runs_ran_by_users_id_fk" FOREIGN KEY ("ran_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sampled_mails" ADD CONSTRAINT "sampled_mails_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sampled_mails" ADD CONSTRAINT "sampled_mails_run_id_mail_sampling_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."mail_sampling_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "mail_sampling_runs_uq" ON "mail_sampling_runs" USING btree ("org_id","mailbox_id","month");--> statement-breakpoint
CREATE INDEX "sampled_mails_run_idx" ON "sampled_mails" USING btree ("org_id","run_id");