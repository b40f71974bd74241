ALTER TABLE "mail_probes" ADD COLUMN "sent_raw" "bytea";--> statement-breakpoint
ALTER TABLE "mystery_mailboxes" ADD COLUMN "tls_ca_pem" text;--> statement-breakpoint
ALTER TABLE "mystery_mailboxes" ADD COLUMN "smtp_tls_pin" text;--> statement-breakpoint
ALTER TABLE "mystery_mailboxes" ADD COLUMN "smtp_tls_pin_pem" text;--> statement-breakpoint
ALTER TABLE "mystery_mailboxes" ADD COLUMN "imap_tls_pin" text;--> statement-breakpoint
ALTER TABLE "mystery_mailboxes" ADD COLUMN "imap_tls_pin_pem" text;--> statement-breakpoint
ALTER TABLE "mystery_mailboxes" ADD COLUMN "last_check_certificates" jsonb;--> statement-breakpoint
ALTER TABLE "mystery_mailboxes" ADD COLUMN "last_check_plus_addressing" boolean;--> statement-breakpoint
ALTER TABLE "mystery_mailboxes" ADD COLUMN "send_error_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "mystery_mailboxes" ADD COLUMN "send_error_message" text;