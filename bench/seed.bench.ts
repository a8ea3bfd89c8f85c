import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { seedDemoCity } from '../src/registry/seed.service.ts';
import { type BenchContext, type BenchResult, timed } from './harness.ts';

/**
 * `npm run bench -- seed`: the demo city generator (accounts with houses, premises, phones, meters and a
 * year of readings, all through COPY) against a raw COPY of as many plain account-like rows into an
 * unindexed table, measured in the same run on the same server. SEED_BENCH_ACCOUNTS sets the size.
 */
export default async function seedBench(ctx: BenchContext): Promise<BenchResult> {
  const accounts = Number(process.env.SEED_BENCH_ACCOUNTS || 100_000);
  if (!Number.isInteger(accounts) || accounts < 1)
    throw new Error('SEED_BENCH_ACCOUNTS must be a positive integer');
  const { pool } = ctx.database;

  // Baseline: the cheapest way to put N account-like rows into PostgreSQL.
  await pool.query(
    'CREATE TABLE bench_plain_account (number text, payer_name text, address text, tariff_category text, start_date date, email text)',
  );
  const baselineSeconds = await timed(async () => {
    const client = await pool.connect();
    try {
      await pipeline(
        Readable.from(plainRows(accounts)),
        client.query(copyFrom('COPY bench_plain_account FROM STDIN')),
      );
    } finally {
      client.release();
    }
  });
  await pool.query('DROP TABLE bench_plain_account');
  const baseline = accounts / baselineSeconds;
  ctx.log(
    `baseline: raw COPY of ${accounts.toLocaleString('en')} plain rows in ${baselineSeconds.toFixed(2)} s = ${Math.round(baseline).toLocaleString('en')} rows/s`,
  );

  let nextLog = 0.1;
  const t0 = performance.now();
  const summary = await seedDemoCity(ctx.database, {
    accounts,
    seed: 1,
    now: new Date('2026-03-20T09:00:00Z'),
    onProgress: (done, total) => {
      if (done / total + 1e-9 < nextLog && done < total) return;
      nextLog = Math.floor((done / total) * 10) / 10 + 0.1;
      const s = (performance.now() - t0) / 1000;
      ctx.log(
        `seed: ${done.toLocaleString('en')}/${total.toLocaleString('en')} accounts, ${s.toFixed(1)} s, ${Math.round(done / s).toLocaleString('en')} accounts/s`,
      );
    },
  });
  const value = summary.accounts / summary.seconds;
  ctx.log(
    `seed: ${summary.accounts.toLocaleString('en')} accounts, ${summary.houses.toLocaleString('en')} houses, ${summary.meters.toLocaleString('en')} meters, ` +
      `${summary.readings.toLocaleString('en')} readings in ${summary.seconds.toFixed(1)} s = ${Math.round(value).toLocaleString('en')} accounts/s ` +
      `(${Math.round(summary.readings / summary.seconds).toLocaleString('en')} readings/s)`,
  );
  return {
    bench: 'seed',
    unit: 'accounts/s',
    value: Math.round(value),
    baseline: Math.round(baseline),
    ratio: Math.round((value / baseline) * 1000) / 1000,
    accounts: summary.accounts,
    readings: summary.readings,
    seconds: summary.seconds,
  };
}

function* plainRows(n: number): Generator<string> {
  let batch = '';
  for (let i = 0; i < n; i++) {
    batch += `${1_000_000_000 + i}\tИванов Иван Иванович\tг. Москва, ул. Профсоюзная, д. ${(i % 200) + 1}, кв. ${(i % 300) + 1}\tgas_stove\t2015-06-01\t\\N\n`;
    if (batch.length > 1 << 20) {
      yield batch;
      batch = '';
    }
  }
  if (batch) yield batch;
}
