-- The intake's "lock the meter, then read what the decision needs" in one round trip (domain.md §4).
-- Inside a PL/pgSQL function each statement takes a new snapshot in READ COMMITTED, so the history read
-- after the row lock is granted includes every submission committed by the holder we waited for.
CREATE FUNCTION intake_lock_meter(p_meter_id bigint, p_region text)
RETURNS TABLE (closed text, next_id bigint, history json)
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM meter WHERE id = p_meter_id FOR UPDATE;
  RETURN QUERY
  SELECT
    (SELECT max(period)::text FROM billing_period WHERE region_code = p_region),
    nextval(pg_get_serial_sequence('reading', 'id')),
    coalesce((
      SELECT json_agg(json_build_object('id', h.id, 'period', h.period, 'takenAt', h.taken_at, 'valuesWh', h.values_wh))
      FROM (
        SELECT DISTINCT ON (r.period) r.id, r.period, r.taken_at, r.values_wh
        FROM reading r
        WHERE r.meter_id = p_meter_id AND r.status = 'accepted' AND r.kind IN ('regular', 'control')
        ORDER BY r.period, r.id DESC
      ) h), '[]'::json);
END $$;
