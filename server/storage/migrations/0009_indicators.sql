CREATE TABLE "complaints" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"kind" text DEFAULT 'reclamation' NOT NULL,
	"service_id" uuid,
	"matricule" text,
	"received_on" date NOT NULL,
	"deadline_on" date NOT NULL,
	"answered_on" date,
	"delay_days" integer,
	"subject" text DEFAULT '' NOT NULL,
	"answer_summary" text DEFAULT '' NOT NULL,
	"corrective_measure" text DEFAULT '' NOT NULL,
	"contact_name" text,
	"contact_email" text,
	"contact_phone" text,
	"contact_address" text,
	"personal_data_erased_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "indicator_import_mappings" (
	"org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"mapping" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "indicator_import_mappings_org_id_kind_pk" PRIMARY KEY("org_id","kind")
);
--> statement-breakpoint
CREATE TABLE "indicator_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"file_name" text NOT NULL,
	"header" jsonb NOT NULL,
	"rows" jsonb NOT NULL,
	"lines" jsonb NOT NULL,
	"mapping" jsonb,
	"status" text DEFAULT 'preview' NOT NULL,
	"stored_values" integer,
	"skipped_lines" integer,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"stored_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "indicator_targets" (
	"org_id" uuid NOT NULL,
	"indicator_id" text NOT NULL,
	"target" double precision NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "indicator_targets_org_id_indicator_id_pk" PRIMARY KEY("org_id","indicator_id")
);
--> statement-breakpoint
CREATE TABLE "indicator_values" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"indicator_id" text NOT NULL,
	"month" date NOT NULL,
	"breakdown" text DEFAULT '' NOT NULL,
	"value" double precision NOT NULL,
	"numerator" double precision,
	"denominator" double precision,
	"source" text NOT NULL,
	"import_id" uuid,
	"entered_by" uuid,
	"entered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"replaced_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_import_mappings" ADD CONSTRAINT "indicator_import_mappings_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_imports" ADD CONSTRAINT "indicator_imports_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_imports" ADD CONSTRAINT "indicator_imports_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_targets" ADD CONSTRAINT "indicator_targets_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_targets" ADD CONSTRAINT "indicator_targets_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_values" ADD CONSTRAINT "indicator_values_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_values" ADD CONSTRAINT "indicator_values_entered_by_users_id_fk" FOREIGN KEY ("entered_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "complaints_org_received_idx" ON "complaints" USING btree ("org_id","received_on");--> statement-breakpoint
CREATE INDEX "indicator_imports_org_idx" ON "indicator_imports" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "indicator_values_org_idx" ON "indicator_values" USING btree ("org_id","month");--> statement-breakpoint
CREATE UNIQUE INDEX "indicator_values_current_uq" ON "indicator_values" USING btree ("org_id","indicator_id","month","breakdown") WHERE replaced_at is null;