-- Issue 18: keep on each probe what the outcome rules (server/campaigns/outcomes.ts) read of its
-- replies, so that the national table reads one row per probe of the quarter instead of joining
-- every reply. Statement-level triggers with transition tables, like report_answer_counts: a
-- statement touching replies recomputes the probes it touched (before and after the change,
-- so a reply moved to another probe updates both), from the replies as they now are:
-- - reply_bounced: a failed delivery report (a delayed one is only a warning);
-- - first_acknowledged_at: the earliest acknowledgement;
-- - first_answered_at: the earliest answer.
-- Only replies of the probe's own organisation and campaign count (as the bilan's join).
CREATE FUNCTION mail_probe_firsts_refresh(probe_ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  UPDATE mail_probes p SET
    reply_bounced = coalesce(f.bounced, false),
    first_acknowledged_at = f.acknowledged_at,
    first_answered_at = f.answered_at
  FROM (
    SELECT q.id,
      bool_or(r.reply_class = 'bounce' AND r.bounce_kind IS DISTINCT FROM 'delayed') AS bounced,
      min(r.received_at) FILTER (WHERE r.reply_class = 'acknowledgement') AS acknowledged_at,
      min(r.received_at) FILTER (WHERE r.reply_class = 'answer') AS answered_at
    FROM mail_probes q
    LEFT JOIN mail_replies r ON r.probe_id = q.id AND r.org_id = q.org_id AND r.campaign_id = q.campaign_id
    WHERE q.id = ANY (probe_ids)
    GROUP BY q.id
  ) f
  WHERE p.id = f.id
    AND (p.reply_bounced, p.first_acknowledged_at, p.first_answered_at)
        IS DISTINCT FROM (coalesce(f.bounced, false), f.acknowledged_at, f.answered_at);
END
$$;
--> statement-breakpoint
CREATE FUNCTION mail_probe_firsts_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids uuid[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(DISTINCT probe_id) INTO ids FROM new_rows WHERE probe_id IS NOT NULL;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(DISTINCT probe_id) INTO ids FROM old_rows WHERE probe_id IS NOT NULL;
  ELSE
    SELECT array_agg(DISTINCT x.probe_id) INTO ids FROM (
      SELECT probe_id FROM new_rows UNION SELECT probe_id FROM old_rows
    ) x WHERE x.probe_id IS NOT NULL;
  END IF;
  IF ids IS NOT NULL THEN
    PERFORM mail_probe_firsts_refresh(ids);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER mail_probe_firsts_ins AFTER INSERT ON mail_replies REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION mail_probe_firsts_sync();
--> statement-breakpoint
CREATE TRIGGER mail_probe_firsts_upd AFTER UPDATE ON mail_replies REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION mail_probe_firsts_sync();
--> statement-breakpoint
CREATE TRIGGER mail_probe_firsts_del AFTER DELETE ON mail_replies REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION mail_probe_firsts_sync();
--> statement-breakpoint
-- The probes that already have replies.
SELECT mail_probe_firsts_refresh(array_agg(DISTINCT probe_id)) FROM mail_replies WHERE probe_id IS NOT NULL;
--> statement-breakpoint
-- The national table reads the probes sent in a quarter with these columns only: an index-only
-- scan over a range of sent_at (the rows themselves are scattered by the updates above). The
-- included columns change when a reply comes, which is rare next to the reads.
CREATE INDEX mail_probes_outcome_idx ON mail_probes (sent_at)
  INCLUDE (org_id, campaign_id, state, reply_bounced, first_acknowledged_at, first_answered_at);
--> statement-breakpoint
-- The same columns by campaign: an organisation's board and home count its own campaigns.
CREATE INDEX mail_probes_campaign_outcome_idx ON mail_probes (campaign_id)
  INCLUDE (org_id, state, sent_at, reply_bounced, first_acknowledged_at, first_answered_at);
