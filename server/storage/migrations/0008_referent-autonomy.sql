CREATE TABLE "password_resets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "mystery_mailboxes" ADD COLUMN "sync_ok_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "mystery_mailboxes" ADD COLUMN "sync_error_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "mystery_mailboxes" ADD COLUMN "sync_error_message" text;--> statement-breakpoint
ALTER TABLE "mystery_mailboxes" ADD COLUMN "sync_failures" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "mystery_mailboxes" ADD COLUMN "sync_failing_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "mystery_mailboxes" ADD COLUMN "sync_stopped_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "deactivated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "password_resets" ADD CONSTRAINT "password_resets_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "password_resets_token_uq" ON "password_resets" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "password_resets_user_idx" ON "password_resets" USING btree ("user_id");