-- Which reading a new submission supersedes is decided per kind (regular readings replace regular ones,
-- control readings control ones), as the reading_effective view does; the decision's baseline is the latest
-- accepted reading of either kind. The history therefore carries one row per period and kind.
CREATE OR REPLACE FUNCTION intake_lock_meter(p_meter_id bigint, p_region text)
RETURNS TABLE (closed text, next_id bigint, history json)
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM meter WHERE id = p_meter_id FOR UPDATE;
  RETURN QUERY
  SELECT
    (SELECT max(period)::text FROM billing_period WHERE region_code = p_region),
    nextval(pg_get_serial_sequence('reading', 'id')),
    coalesce((
      SELECT json_agg(json_build_object('id', h.id, 'period', h.period, 'kind', h.kind, 'takenAt', h.taken_at,
                                        'valuesWh', h.values_wh))
      FROM (
        SELECT DISTINCT ON (r.period, r.kind) r.id, r.period, r.kind, r.taken_at, r.values_wh
        FROM reading r
        WHERE r.meter_id = p_meter_id AND r.status = 'accepted' AND r.kind IN ('regular', 'control')
        ORDER BY r.period, r.kind, r.id DESC
      ) h), '[]'::json);
END $$;
