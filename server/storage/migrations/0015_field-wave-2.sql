CREATE TABLE "action_review_rows" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"review_id" uuid NOT NULL,
	"action_id" uuid,
	"title" text NOT NULL,
	"origin" text NOT NULL,
	"service_name" text,
	"due_on" date,
	"status" text NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"done_on" date
);
--> statement-breakpoint
CREATE TABLE "action_reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"reviewed_on" date NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "actions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"title" text NOT NULL,
	"origin" text NOT NULL,
	"origin_note" text DEFAULT '' NOT NULL,
	"complaint_id" uuid,
	"service_id" uuid,
	"due_on" date,
	"status" text DEFAULT 'a_faire' NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"done_on" date,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "committee_attachments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"title" text NOT NULL,
	"filename" text NOT NULL,
	"bytes" integer NOT NULL,
	"pages" integer NOT NULL,
	"data" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "committee_meetings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"held_on" date NOT NULL,
	"kind" text NOT NULL,
	"participants" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"agenda" text[] DEFAULT '{}'::text[] NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"report_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "committee_suggestions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"text" text NOT NULL,
	"action_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "town_hall_checks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"town_hall_id" uuid NOT NULL,
	"checked_on" date NOT NULL,
	"channel" text NOT NULL,
	"first_slot_on" date,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "town_halls" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"insee_code" text,
	"name" text NOT NULL,
	"department_code" text NOT NULL,
	"arrondissement_code" text,
	"lat" double precision,
	"lon" double precision,
	"coord_source" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "transparence_publications" (
	"org_id" uuid NOT NULL,
	"quarter" text NOT NULL,
	"published_at" timestamp with time zone NOT NULL,
	CONSTRAINT "transparence_publications_org_id_quarter_pk" PRIMARY KEY("org_id","quarter")
);
--> statement-breakpoint
CREATE TABLE "transparence_values" (
	"org_id" uuid NOT NULL,
	"quarter" text NOT NULL,
	"measure_id" text NOT NULL,
	"value" double precision NOT NULL,
	"source" text NOT NULL,
	"entered_by" uuid,
	"entered_at" timestamp with time zone NOT NULL,
	CONSTRAINT "transparence_values_org_id_quarter_measure_id_pk" PRIMARY KEY("org_id","quarter","measure_id")
);
--> statement-breakpoint
ALTER TABLE "phone_programmes" ALTER COLUMN "owner_org_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "submission_key" text;--> statement-breakpoint
ALTER TABLE "mail_probes" ADD COLUMN "sent_raw" "bytea";--> statement-breakpoint
ALTER TABLE "mystery_mailboxes" ADD COLUMN "tls_ca_pem" text;--> statement-breakpoint
ALTER TABLE "mystery_mailboxes" ADD COLUMN "smtp_tls_pin" text;--> statement-breakpoint
ALTER TABLE "mystery_mailboxes" ADD COLUMN "smtp_tls_pin_pem" text;--> statement-breakpoint
ALTER TABLE "mystery_mailboxes" ADD COLUMN "imap_tls_pin" text;--> statement-breakpoint
ALTER TABLE "mystery_mailboxes" ADD COLUMN "imap_tls_pin_pem" text;--> statement-breakpoint
ALTER TABLE "mystery_mailboxes" ADD COLUMN "last_check_certificates" jsonb;--> statement-breakpoint
ALTER TABLE "mystery_mailboxes" ADD COLUMN "last_check_plus_addressing" boolean;--> statement-breakpoint
ALTER TABLE "mystery_mailboxes" ADD COLUMN "send_error_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "mystery_mailboxes" ADD COLUMN "send_error_message" text;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "department_code" text;--> statement-breakpoint
ALTER TABLE "action_review_rows" ADD CONSTRAINT "action_review_rows_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_review_rows" ADD CONSTRAINT "action_review_rows_review_id_action_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."action_reviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_review_rows" ADD CONSTRAINT "action_review_rows_action_id_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."actions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_reviews" ADD CONSTRAINT "action_reviews_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_reviews" ADD CONSTRAINT "action_reviews_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "actions" ADD CONSTRAINT "actions_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "actions" ADD CONSTRAINT "actions_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "actions" ADD CONSTRAINT "actions_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "actions" ADD CONSTRAINT "actions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_attachments" ADD CONSTRAINT "committee_attachments_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_attachments" ADD CONSTRAINT "committee_attachments_meeting_id_committee_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."committee_meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_meetings" ADD CONSTRAINT "committee_meetings_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_meetings" ADD CONSTRAINT "committee_meetings_report_id_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."reports"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_meetings" ADD CONSTRAINT "committee_meetings_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_suggestions" ADD CONSTRAINT "committee_suggestions_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_suggestions" ADD CONSTRAINT "committee_suggestions_meeting_id_committee_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."committee_meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_suggestions" ADD CONSTRAINT "committee_suggestions_action_id_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."actions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "town_hall_checks" ADD CONSTRAINT "town_hall_checks_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "town_hall_checks" ADD CONSTRAINT "town_hall_checks_town_hall_id_town_halls_id_fk" FOREIGN KEY ("town_hall_id") REFERENCES "public"."town_halls"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "town_hall_checks" ADD CONSTRAINT "town_hall_checks_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "town_halls" ADD CONSTRAINT "town_halls_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transparence_publications" ADD CONSTRAINT "transparence_publications_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transparence_values" ADD CONSTRAINT "transparence_values_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transparence_values" ADD CONSTRAINT "transparence_values_entered_by_users_id_fk" FOREIGN KEY ("entered_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "action_review_rows_review_idx" ON "action_review_rows" USING btree ("org_id","review_id");--> statement-breakpoint
CREATE INDEX "action_reviews_org_idx" ON "action_reviews" USING btree ("org_id","reviewed_on");--> statement-breakpoint
CREATE INDEX "actions_org_status_idx" ON "actions" USING btree ("org_id","status","due_on");--> statement-breakpoint
CREATE INDEX "committee_attachments_meeting_idx" ON "committee_attachments" USING btree ("org_id","meeting_id");--> statement-breakpoint
CREATE INDEX "committee_meetings_org_idx" ON "committee_meetings" USING btree ("org_id","held_on");--> statement-breakpoint
CREATE INDEX "committee_suggestions_meeting_idx" ON "committee_suggestions" USING btree ("org_id","meeting_id");--> statement-breakpoint
CREATE INDEX "town_hall_checks_org_idx" ON "town_hall_checks" USING btree ("org_id","checked_on");--> statement-breakpoint
CREATE INDEX "town_halls_org_idx" ON "town_halls" USING btree ("org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "town_halls_org_name_uq" ON "town_halls" USING btree ("org_id","department_code","name");