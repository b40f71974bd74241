CREATE TABLE "proconnect_sessions" (
	"session_id" text PRIMARY KEY NOT NULL,
	"id_token" text NOT NULL,
	"idp_id" text,
	"amr" text[],
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "proconnect_required" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "proconnect_sub" text;--> statement-breakpoint
ALTER TABLE "proconnect_sessions" ADD CONSTRAINT "proconnect_sessions_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "users_proconnect_sub_uq" ON "users" USING btree ("proconnect_sub");