-- Reference data: the default rule parameters (domain.md; region rows override them) and the regions named
-- in the seeds with their readings windows (§4.3). Values are effective-dated: a change of law is a new row.

INSERT INTO parameter (region_code, key, value, effective_from, note) VALUES
  (NULL, 'readings_window', '{"fromDay":15,"toDay":26,"serves":"same"}', '2000-01-01', '§4.3 Moscow default 15–26'),
  (NULL, 'window_only_channels', '["terminal"]', '2000-01-01', '§4.3 channels that accept only inside the window'),
  (NULL, 'long_gap_periods', '2', '2000-01-01', '§4.6'),
  (NULL, 'long_gap_channels', '["portal","app"]', '2000-01-01', '§4.6 personal account channels'),
  (NULL, 'rollover_average_factor', '3', '2000-01-01', '§4.4'),
  (NULL, 'rollover_ceiling_kwh_per_month', '1000', '2000-01-01', '§4.4 without an average'),
  (NULL, 'hold_average_factor', '5', '2000-01-01', '§4.5'),
  (NULL, 'hold_min_kwh_per_month', '1000', '2000-01-01', '§4.5'),
  (NULL, 'hold_no_history_kwh_per_month', '3000', '2000-01-01', '§4.5 without an average'),
  (NULL, 'average_periods', '6', '2000-01-01', '§6.1 item 3'),
  (NULL, 'average_min_periods', '3', '2000-01-01', '§6.1 item 3'),
  (NULL, 'average_max_consecutive_periods', '6', '2000-01-01', '§6.1 item 3 (older wording 3)'),
  (NULL, 'failed_meter_average_periods', '3', '2000-01-01', '§6.1 item 4'),
  (NULL, 'raising_coefficient', '1.5', '2000-01-01', '§6.1 item 4'),
  (NULL, 'norm_priced_single_rate', 'true', '2000-01-01', '§6.2'),
  (NULL, 'future_tolerance_minutes', '10', '2000-01-01', 'clock skew of channels'),
  (NULL, 'max_reading_age_days', '1095', '2000-01-01', 'older history comes by import'),
  (NULL, 'bill_delivery_day', '1', '2000-01-01', '§5 before ЖК art. 155 change'),
  (NULL, 'bill_delivery_day', '5', '2026-03-01', '§5 ЖК art. 155 from 01.03.2026'),
  (NULL, 'payment_due_day', '10', '2000-01-01', '§5 before ЖК art. 155 change'),
  (NULL, 'payment_due_day', '15', '2026-03-01', '§5 ЖК art. 155 from 01.03.2026'),
  (NULL, 'zone_names', '{"1":["single"],"2":["day","night"],"3":["peak","night","half_peak"]}', '2000-01-01',
   '§6.2 Moscow: T1 peak, T2 night, T3 half-peak; two-zone T1 day, T2 night');

INSERT INTO region (code, name, time_zone) VALUES
  ('moscow', 'Москва и Московская область', 'Europe/Moscow'),
  ('yakutia', 'Республика Саха (Якутия)', 'Asia/Yakutsk'),
  ('altai', 'Алтайский край', 'Asia/Barnaul'),
  ('voronezh', 'Воронежская область', 'Europe/Moscow'),
  ('ivanovo', 'Ивановская область', 'Europe/Moscow'),
  ('irkutsk', 'Иркутская область', 'Asia/Irkutsk'),
  ('kostroma', 'Костромская область', 'Europe/Moscow'),
  ('lipetsk', 'Липецкая область', 'Europe/Moscow'),
  ('spb', 'Санкт-Петербург', 'Europe/Moscow'),
  ('tver', 'Тверская область', 'Europe/Moscow');

INSERT INTO parameter (region_code, key, value, effective_from, note) VALUES
  ('yakutia', 'readings_window', '{"fromDay":1,"toDay":10,"serves":"previous"}', '2000-01-01', '§4.3 days 1–10 of M+1 serve M'),
  ('altai', 'readings_window', '{"fromDay":21,"toDay":23,"serves":"same"}', '2000-01-01', '§4.3 seeds'),
  ('voronezh', 'readings_window', '{"fromDay":22,"toDay":26,"serves":"same"}', '2000-01-01', '§4.3 seeds'),
  ('ivanovo', 'readings_window', '{"fromDay":21,"toDay":24,"serves":"same"}', '2000-01-01', '§4.3 seeds'),
  ('irkutsk', 'readings_window', '{"fromDay":23,"toDay":25,"serves":"same"}', '2000-01-01', '§4.3 seeds'),
  ('kostroma', 'readings_window', '{"fromDay":23,"toDay":26,"serves":"same"}', '2000-01-01', '§4.3 seeds'),
  ('lipetsk', 'readings_window', '{"fromDay":1,"toDay":25,"serves":"same"}', '2000-01-01', '§4.3 seeds'),
  ('spb', 'readings_window', '{"fromDay":23,"toDay":25,"serves":"same"}', '2000-01-01', '§4.3 seeds'),
  ('tver', 'readings_window', '{"fromDay":15,"toDay":25,"serves":"same"}', '2000-01-01', '§4.3 seeds');

-- Federal non-working days of 2026 (Production calendar, Decree of the Government of 24.09.2025 No. 1466).
INSERT INTO calendar_day (region_code, day, is_working, note)
SELECT NULL, d::date, false, 'holiday'
FROM unnest(ARRAY['2026-01-01','2026-01-02','2026-01-05','2026-01-06','2026-01-07','2026-01-08','2026-01-09',
                  '2026-02-23','2026-03-09','2026-05-01','2026-05-11','2026-06-12','2026-11-04','2026-12-31']) AS d;
