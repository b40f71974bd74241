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
ALTER TABLE "organisations" ADD COLUMN "department_code" text;--> statement-breakpoint
ALTER TABLE "town_hall_checks" ADD CONSTRAINT "town_hall_checks_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "town_hall_checks" ADD CONSTRAINT "town_hall_checks_town_hall_id_town_halls_id_fk" FOREIGN KEY ("town_hall_id") REFERENCES "public"."town_halls"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "town_hall_checks" ADD CONSTRAINT "town_hall_checks_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "town_halls" ADD CONSTRAINT "town_halls_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transparence_publications" ADD CONSTRAINT "transparence_publications_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transparence_values" ADD CONSTRAINT "transparence_values_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transparence_values" ADD CONSTRAINT "transparence_values_entered_by_users_id_fk" FOREIGN KEY ("entered_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "town_hall_checks_org_idx" ON "town_hall_checks" USING btree ("org_id","checked_on");--> statement-breakpoint
CREATE INDEX "town_halls_org_idx" ON "town_halls" USING btree ("org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "town_halls_org_name_uq" ON "town_halls" USING btree ("org_id","department_code","name");