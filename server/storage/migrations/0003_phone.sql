CREATE TABLE "phone_call_attempts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"call_id" uuid NOT NULL,
	"caller_org_id" uuid NOT NULL,
	"n" integer NOT NULL,
	"outcome" text NOT NULL,
	"wait_seconds" integer NOT NULL,
	"rings" integer,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "phone_calls" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"programme_id" uuid NOT NULL,
	"pair_id" uuid NOT NULL,
	"caller_org_id" uuid NOT NULL,
	"called_org_id" uuid NOT NULL,
	"number_id" uuid NOT NULL,
	"scenario_id" uuid NOT NULL,
	"evaluator_id" uuid NOT NULL,
	"scheduled_at" timestamp with time zone NOT NULL,
	"slot" text NOT NULL,
	"status" text DEFAULT 'planned' NOT NULL,
	"answers" jsonb,
	"survey_version" text,
	"grid_started_at" timestamp with time zone,
	"submitted_at" timestamp with time zone,
	"reopened_at" timestamp with time zone,
	"reopened_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "phone_evaluators" (
	"programme_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	CONSTRAINT "phone_evaluators_programme_id_user_id_pk" PRIMARY KEY("programme_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "phone_numbers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"programme_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"label" text NOT NULL,
	"phone" text NOT NULL,
	"service_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "phone_pairs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"programme_id" uuid NOT NULL,
	"caller_org_id" uuid NOT NULL,
	"called_org_id" uuid NOT NULL,
	"plan_generated_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "phone_participants" (
	"programme_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"accepted_at" timestamp with time zone,
	"accepted_by" uuid,
	CONSTRAINT "phone_participants_programme_id_org_id_pk" PRIMARY KEY("programme_id","org_id")
);
--> statement-breakpoint
CREATE TABLE "phone_programmes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"calls_per_number" integer DEFAULT 3 NOT NULL,
	"max_attempts" integer DEFAULT 3 NOT NULL,
	"attempt_wait_seconds" integer DEFAULT 300 NOT NULL,
	"pass_mark" double precision DEFAULT 7 NOT NULL,
	"seed" integer NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "phone_scenarios" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"programme_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"number_id" uuid,
	"category" text NOT NULL,
	"question" text NOT NULL,
	"expected_answer" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "phone_call_attempts" ADD CONSTRAINT "phone_call_attempts_call_id_phone_calls_id_fk" FOREIGN KEY ("call_id") REFERENCES "public"."phone_calls"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phone_call_attempts" ADD CONSTRAINT "phone_call_attempts_caller_org_id_organisations_id_fk" FOREIGN KEY ("caller_org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phone_calls" ADD CONSTRAINT "phone_calls_programme_id_phone_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."phone_programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phone_calls" ADD CONSTRAINT "phone_calls_pair_id_phone_pairs_id_fk" FOREIGN KEY ("pair_id") REFERENCES "public"."phone_pairs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phone_calls" ADD CONSTRAINT "phone_calls_caller_org_id_organisations_id_fk" FOREIGN KEY ("caller_org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phone_calls" ADD CONSTRAINT "phone_calls_called_org_id_organisations_id_fk" FOREIGN KEY ("called_org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phone_calls" ADD CONSTRAINT "phone_calls_number_id_phone_numbers_id_fk" FOREIGN KEY ("number_id") REFERENCES "public"."phone_numbers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phone_calls" ADD CONSTRAINT "phone_calls_scenario_id_phone_scenarios_id_fk" FOREIGN KEY ("scenario_id") REFERENCES "public"."phone_scenarios"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phone_calls" ADD CONSTRAINT "phone_calls_evaluator_id_users_id_fk" FOREIGN KEY ("evaluator_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phone_calls" ADD CONSTRAINT "phone_calls_reopened_by_users_id_fk" FOREIGN KEY ("reopened_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phone_evaluators" ADD CONSTRAINT "phone_evaluators_programme_id_phone_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."phone_programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phone_evaluators" ADD CONSTRAINT "phone_evaluators_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phone_evaluators" ADD CONSTRAINT "phone_evaluators_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phone_numbers" ADD CONSTRAINT "phone_numbers_programme_id_phone_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."phone_programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phone_numbers" ADD CONSTRAINT "phone_numbers_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phone_numbers" ADD CONSTRAINT "phone_numbers_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phone_pairs" ADD CONSTRAINT "phone_pairs_programme_id_phone_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."phone_programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phone_pairs" ADD CONSTRAINT "phone_pairs_caller_org_id_organisations_id_fk" FOREIGN KEY ("caller_org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phone_pairs" ADD CONSTRAINT "phone_pairs_called_org_id_organisations_id_fk" FOREIGN KEY ("called_org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phone_participants" ADD CONSTRAINT "phone_participants_programme_id_phone_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."phone_programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phone_participants" ADD CONSTRAINT "phone_participants_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phone_participants" ADD CONSTRAINT "phone_participants_accepted_by_users_id_fk" FOREIGN KEY ("accepted_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phone_programmes" ADD CONSTRAINT "phone_programmes_owner_org_id_organisations_id_fk" FOREIGN KEY ("owner_org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phone_programmes" ADD CONSTRAINT "phone_programmes_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phone_scenarios" ADD CONSTRAINT "phone_scenarios_programme_id_phone_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."phone_programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phone_scenarios" ADD CONSTRAINT "phone_scenarios_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phone_scenarios" ADD CONSTRAINT "phone_scenarios_number_id_phone_numbers_id_fk" FOREIGN KEY ("number_id") REFERENCES "public"."phone_numbers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "phone_call_attempts_uq" ON "phone_call_attempts" USING btree ("call_id","n");--> statement-breakpoint
CREATE INDEX "phone_calls_evaluator_idx" ON "phone_calls" USING btree ("caller_org_id","evaluator_id","scheduled_at");--> statement-breakpoint
CREATE INDEX "phone_calls_called_idx" ON "phone_calls" USING btree ("called_org_id","programme_id");--> statement-breakpoint
CREATE INDEX "phone_calls_pair_idx" ON "phone_calls" USING btree ("pair_id");--> statement-breakpoint
CREATE INDEX "phone_evaluators_org_idx" ON "phone_evaluators" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "phone_numbers_org_idx" ON "phone_numbers" USING btree ("org_id","programme_id");--> statement-breakpoint
CREATE UNIQUE INDEX "phone_pairs_uq" ON "phone_pairs" USING btree ("programme_id","caller_org_id","called_org_id");--> statement-breakpoint
CREATE INDEX "phone_pairs_called_idx" ON "phone_pairs" USING btree ("called_org_id");--> statement-breakpoint
CREATE INDEX "phone_participants_org_idx" ON "phone_participants" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "phone_programmes_owner_idx" ON "phone_programmes" USING btree ("owner_org_id");--> statement-breakpoint
CREATE INDEX "phone_scenarios_org_idx" ON "phone_scenarios" USING btree ("org_id","programme_id");