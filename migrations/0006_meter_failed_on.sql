-- The date a meter failed (domain.md §3, §6.1 item 4): a meter is valid on a date before it failed, so a
-- reading taken earlier still counts, and billing counts the failed-meter periods from this date.
-- NULL on a failed meter means the date is unknown: the meter counts as failed on every date.
ALTER TABLE meter ADD COLUMN failed_on date;
ALTER TABLE meter ADD CONSTRAINT meter_failed_on_only_when_failed CHECK (failed_on IS NULL OR status <> 'active');
