-- Reports: keep report_answer_counts in step with responses (see server/reports/README.md).
-- Statement-level triggers with transition tables: a bulk INSERT … SELECT of answer sets costs
-- one aggregate, not one upsert per row. Counted: values of the satisfaction scale and of the
-- overall smileys only; the day is the calendar day of completion in Europe/Paris; answer sets
-- without a site are counted under the nil UUID.
CREATE FUNCTION report_answer_counts_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR TG_OP = 'UPDATE' THEN
    UPDATE report_answer_counts c SET n = c.n - d.n
    FROM (
      SELECT r.org_id, r.survey_id, coalesce(r.site_id, '00000000-0000-0000-0000-000000000000'::uuid) AS site_id,
             (r.completed_at AT TIME ZONE 'Europe/Paris')::date AS day, a.key AS item, a.value, count(*)::int AS n
      FROM old_rows r
      CROSS JOIN LATERAL jsonb_each_text(CASE WHEN jsonb_typeof(r.answers) = 'object' THEN r.answers ELSE '{}'::jsonb END) a
      WHERE a.value IN ('tres_satisfait', 'satisfait', 'peu_satisfait', 'pas_du_tout_satisfait', 'sans_avis', 'tres_bien', 'moyen', 'pas_bien')
      GROUP BY 1, 2, 3, 4, 5, 6
    ) d
    WHERE c.org_id = d.org_id AND c.survey_id = d.survey_id AND c.day = d.day AND c.site_id = d.site_id AND c.item = d.item AND c.value = d.value;
    DELETE FROM report_answer_counts c WHERE c.n <= 0 AND c.org_id IN (SELECT DISTINCT o.org_id FROM old_rows o);
  END IF;
  IF TG_OP = 'INSERT' OR TG_OP = 'UPDATE' THEN
    INSERT INTO report_answer_counts AS c (org_id, survey_id, site_id, day, item, value, n)
    SELECT r.org_id, r.survey_id, coalesce(r.site_id, '00000000-0000-0000-0000-000000000000'::uuid),
           (r.completed_at AT TIME ZONE 'Europe/Paris')::date, a.key, a.value, count(*)::int
    FROM new_rows r
    CROSS JOIN LATERAL jsonb_each_text(CASE WHEN jsonb_typeof(r.answers) = 'object' THEN r.answers ELSE '{}'::jsonb END) a
    WHERE a.value IN ('tres_satisfait', 'satisfait', 'peu_satisfait', 'pas_du_tout_satisfait', 'sans_avis', 'tres_bien', 'moyen', 'pas_bien')
    GROUP BY 1, 2, 3, 4, 5, 6
    -- A fixed order of upserts keeps concurrent submissions from deadlocking on the counters.
    ORDER BY 1, 2, 4, 3, 5, 6
    ON CONFLICT (org_id, survey_id, day, site_id, item, value) DO UPDATE SET n = c.n + excluded.n;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION report_answer_counts_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM report_answer_counts;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER report_answer_counts_ins AFTER INSERT ON responses REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_answer_counts_sync();
--> statement-breakpoint
CREATE TRIGGER report_answer_counts_del AFTER DELETE ON responses REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_answer_counts_sync();
--> statement-breakpoint
CREATE TRIGGER report_answer_counts_upd AFTER UPDATE ON responses REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_answer_counts_sync();
--> statement-breakpoint
CREATE TRIGGER report_answer_counts_trunc AFTER TRUNCATE ON responses
  FOR EACH STATEMENT EXECUTE FUNCTION report_answer_counts_truncate();
--> statement-breakpoint
-- Answer sets stored before this migration.
INSERT INTO report_answer_counts (org_id, survey_id, site_id, day, item, value, n)
SELECT r.org_id, r.survey_id, coalesce(r.site_id, '00000000-0000-0000-0000-000000000000'::uuid),
       (r.completed_at AT TIME ZONE 'Europe/Paris')::date, a.key, a.value, count(*)::int
FROM responses r
CROSS JOIN LATERAL jsonb_each_text(CASE WHEN jsonb_typeof(r.answers) = 'object' THEN r.answers ELSE '{}'::jsonb END) a
WHERE a.value IN ('tres_satisfait', 'satisfait', 'peu_satisfait', 'pas_du_tout_satisfait', 'sans_avis', 'tres_bien', 'moyen', 'pas_bien')
GROUP BY 1, 2, 3, 4, 5, 6;
