import { sql } from 'kysely';
import { submitReading } from '../src/intake/index.ts';
import { fixedClock } from '../src/platform/clock.ts';
import type { Bench } from './harness.ts';
import { timed } from './harness.ts';

/**
 * Submissions per second through the one intake use case (`submitReading`) on PostgreSQL, against a raw
 * single-row INSERT + commit baseline at the same concurrency in the same run.
 * INTAKE_BENCH_ACCOUNTS (default 5,000) accounts, INTAKE_BENCH_SUBMISSIONS (default 20,000), concurrency
 * INTAKE_BENCH_CONCURRENCY (default 8: 4 per core).
 */
const bench: Bench = async ({ database, log }) => {
  const accounts = Number(process.env.INTAKE_BENCH_ACCOUNTS || 5000);
  const submissions = Number(process.env.INTAKE_BENCH_SUBMISSIONS || 20000);
  const concurrency = Number(process.env.INTAKE_BENCH_CONCURRENCY || 8);
  const db = database.db;
  log(
    `intake: ${accounts} accounts with 6 months of readings, ${submissions} submissions, concurrency ${concurrency}`,
  );

  await sql`INSERT INTO principal (code, kind, name) VALUES ('BENCH', 'supplier', 'Bench supplier')`.execute(
    db,
  );
  await sql`INSERT INTO house (code, region_code, address, kind, stove_type, settlement_type, total_area_m2)
            SELECT 'B' || g, 'moscow', 'ул. Стендовая, д. ' || g, 'apartment_building', 'gas', 'urban', 1000
            FROM generate_series(1, ${Math.ceil(accounts / 100)}) g`.execute(db);
  await sql`INSERT INTO premises (house_id, number, area_m2, rooms, residents)
            SELECT h.id, g::text, 50, 2, 2 FROM generate_series(1, ${accounts}) g
            JOIN house h ON h.code = 'B' || ((g - 1) / 100 + 1)`.execute(db);
  await sql`INSERT INTO account (number, premises_id, principal_id, payer_name, tariff_category, start_date)
            SELECT (7000000000 + p.id)::text, p.id, (SELECT id FROM principal), 'Стенд', 'gas_stove', '2024-01-01'
            FROM premises p`.execute(db);
  await sql`INSERT INTO meter (serial, house_id, account_id, zones, digits, installed_on, commissioned_on,
              initial_values_wh, next_verification_on)
            SELECT 'BM' || a.number, p.house_id, a.id, 1, 6, '2024-01-01', '2024-01-01', '{0}', '2036-01-01'
            FROM account a JOIN premises p ON p.id = a.premises_id`.execute(db);
  await sql`INSERT INTO reading (meter_id, account_id, values_wh, consumption_wh, taken_at, received_at, channel, period,
              billed_in_period, status)
            SELECT m.id, m.account_id, ARRAY[k * 200000]::bigint[], ARRAY[200000]::bigint[],
                   make_timestamptz(2026, 4 + k, 20, 9, 0, 0, 'Europe/Moscow'), make_timestamptz(2026, 4 + k, 20, 9, 1, 0, 'Europe/Moscow'),
                   'sms', to_char(make_date(2026, 4 + k, 1), 'YYYY-MM'), to_char(make_date(2026, 4 + k, 1), 'YYYY-MM'), 'accepted'
            FROM meter m CROSS JOIN generate_series(1, 6) k`.execute(db);
  await sql`ANALYZE`.execute(db);
  const numbers = (
    await sql<{ number: string }>`SELECT number FROM account ORDER BY id`.execute(db)
  ).rows.map((r) => r.number);

  const deps = { db, clock: fixedClock('2026-11-20T12:00:00Z') };
  let next = 0;
  let accepted = 0;
  const intakeSeconds = await timed(async () => {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (;;) {
          const i = next++;
          if (i >= submissions) return;
          const number = numbers[i % numbers.length]!;
          const value = 1200 + 150 + (i % 97);
          const r = await submitReading(deps, {
            account: number,
            values: [String(value)],
            channel: 'sms',
            externalId: `b-${i}`,
          });
          if (r.outcome === 'accepted') accepted++;
        }
      }),
    );
  });
  const intakeRate = submissions / intakeSeconds;
  log(
    `  submitReading: ${submissions} in ${intakeSeconds.toFixed(2)} s = ${intakeRate.toFixed(0)}/s (${accepted} accepted)`,
  );

  await sql`CREATE TABLE bench_raw (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, meter_id bigint, values_wh bigint[],
            taken_at timestamptz, channel text)`.execute(db);
  let k = 0;
  const rawSeconds = await timed(async () => {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (;;) {
          const i = k++;
          if (i >= submissions) return;
          await database.pool.query(
            'INSERT INTO bench_raw (meter_id, values_wh, taken_at, channel) VALUES ($1, $2, $3, $4)',
            [(i % accounts) + 1, [1_350_000 + i], new Date(), 'sms'],
          );
        }
      }),
    );
  });
  const rawRate = submissions / rawSeconds;
  log(
    `  raw single-row INSERT + commit: ${submissions} in ${rawSeconds.toFixed(2)} s = ${rawRate.toFixed(0)}/s`,
  );
  log(`  ratio: ${(intakeRate / rawRate).toFixed(3)}`);
  return {
    bench: 'intake',
    unit: 'submissions/s',
    value: Math.round(intakeRate),
    baseline: Math.round(rawRate),
    ratio: Number((intakeRate / rawRate).toFixed(3)),
    submissions,
    accounts,
    concurrency,
    accepted,
  };
};

export default bench;
