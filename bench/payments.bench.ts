import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import { from as copyFrom } from 'pg-copy-streams';
import { submitPayments } from '../src/ledger/index.ts';
import { fixedClock } from '../src/platform/clock.ts';
import { loadConfig } from '../src/platform/config.ts';
import { type CopyValue, copyField } from '../src/platform/copy.ts';
import { seedDemoCity } from '../src/registry/seed.service.ts';
import { buildServer } from '../src/server.ts';
import type { Bench, BenchContext } from './harness.ts';
import { timed } from './harness.ts';
import { addOsmpAgent, osmpPayRequest } from './osmp-client.ts';

/**
 * Payments (domain.md §9).
 *
 * 1. OSMP `pay` over HTTP on loopback: the server (buildServer, listening on 127.0.0.1) takes
 *    `--requests` pays (default 20,000) from `--concurrency` clients at once (default 32), each a new
 *    txn_id for a random account of the city; prints requests/s and latency p50/p99/max. Baseline in the
 *    same run: the same load on `/health` (one `SELECT 1` per request), i.e. what HTTP + one database
 *    round trip cost on this machine.
 * 2. Ledger posting: a month's payments of the seeded city (one per account) through the one payment
 *    use case in bank-registry files of 1,000 rows (submitPayments: the same rules, one transaction per
 *    file). Baseline in the same run: a raw COPY of the very rows it wrote (payments, ledger transactions,
 *    entries, settlements) into plain tables of the same columns, without triggers or indexes.
 *
 * `npm run bench -- payments --accounts=N --requests=N --concurrency=N`
 */
const CLOCK = '2026-11-20T09:00:00Z';

function arg(name: string, fallback: number): number {
  const eq = process.argv.find((a) => a.startsWith(`--${name}=`));
  const v = eq ? Number(eq.slice(name.length + 3)) : fallback;
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer`);
  return v;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function load(
  n: number,
  concurrency: number,
  request: (i: number) => Promise<void>,
): Promise<{ seconds: number; rps: number; p50: number; p99: number; max: number }> {
  const latencies: number[] = [];
  let next = 0;
  const seconds = await timed(async () => {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (;;) {
          const i = next++;
          if (i >= n) return;
          const t0 = performance.now();
          await request(i);
          latencies.push(performance.now() - t0);
        }
      }),
    );
  });
  latencies.sort((a, b) => a - b);
  return {
    seconds,
    rps: n / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? 0,
  };
}

const bench: Bench = async (ctx: BenchContext) => {
  const accounts = arg('accounts', 20_000);
  const requests = arg('requests', 20_000);
  const concurrency = arg('concurrency', 32);
  const clock = fixedClock(CLOCK);
  ctx.log(`payments: ${fmt(accounts)} accounts, ${fmt(requests)} OSMP pays from ${concurrency} clients`);
  await seedDemoCity(ctx.database, { accounts, seed: 1, now: clock.now() });
  const numbers = (
    await sql<{ number: string }>`SELECT number FROM account ORDER BY id`.execute(ctx.database.db)
  ).rows.map((r) => r.number);

  // 1. OSMP over HTTP.
  const agent = await addOsmpAgent(ctx.database.db);
  const app = await buildServer({
    config: loadConfig({}),
    database: ctx.database,
    url: ctx.url,
    clock,
    embedded: false,
    close: async () => {},
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const warm = await load(500, concurrency, async (i) => {
    await fetch(`${base}/health`).then((r) => r.text());
    await osmpPayRequest(base, agent, {
      txnId: String(9_000_000_000 + i),
      account: numbers[i % numbers.length]!,
      sum: '10.00',
    });
  });
  ctx.log(`  warm-up ${warm.seconds.toFixed(1)} s`);
  const health = await load(requests, concurrency, async () => {
    const r = await fetch(`${base}/health`);
    if (r.status !== 200) throw new Error(`health ${r.status}`);
    await r.text();
  });
  ctx.log(
    `  baseline /health: ${fmt(health.rps)} req/s, p50 ${health.p50.toFixed(1)} ms, p99 ${health.p99.toFixed(1)} ms`,
  );
  const pay = await load(requests, concurrency, async (i) => {
    const xml = await osmpPayRequest(base, agent, {
      txnId: String(1_000_000_000 + i),
      account: numbers[(i * 7919) % numbers.length]!,
      sum: `${100 + (i % 5000)}.00`,
    });
    if (!xml.includes('<result>0</result>')) throw new Error(`pay ${i}: ${xml}`);
  });
  ctx.log(
    `  OSMP pay: ${fmt(pay.rps)} req/s, p50 ${pay.p50.toFixed(1)} ms, p99 ${pay.p99.toFixed(1)} ms, max ${pay.max.toFixed(1)} ms`,
  );
  await app.close();

  // 2. A month's payments through the use case (as bank registries bring them, 1,000 rows a file) vs a
  // raw COPY of the same rows.
  const deps = { db: ctx.database.db, clock };
  const month = await timed(async () => {
    for (let from = 0; from < numbers.length; from += 1000) {
      const results = await submitPayments(
        deps,
        numbers.slice(from, from + 1000).map((account, k) => ({
          channel: 'bank_registry' as const,
          externalId: `SBER:${from + k}`,
          account,
          amountKopecks: 150_000 + ((from + k) % 1000) * 100,
          paidAt: '2026-11-19T12:00:00Z',
          settledOn: '2026-11-20',
        })),
      );
      const refused = results.find((r) => r.outcome !== 'accepted');
      if (refused) throw new Error(`registry payment refused: ${JSON.stringify(refused)}`);
    }
  });
  const postingRate = numbers.length / month;
  ctx.log(
    `  month of payments (registries of 1,000): ${fmt(numbers.length)} in ${month.toFixed(1)} s = ${fmt(postingRate)} payments/s`,
  );
  const copySeconds = await rawCopy(ctx);
  const copyRate = numbers.length / copySeconds;
  ctx.log(`  baseline raw COPY of the same rows: ${copySeconds.toFixed(2)} s = ${fmt(copyRate)} payments/s`);
  const check = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM payment p WHERE NOT EXISTS (SELECT 1 FROM ledger_txn t WHERE t.payment_id = p.id)`.execute(
    ctx.database.db,
  );
  if (check.rows[0]!.n !== 0) throw new Error('payments without postings');
  return {
    bench: 'payments',
    unit: 'OSMP pay requests/s over HTTP',
    value: Math.round(pay.rps),
    baseline: Math.round(health.rps),
    ratio: Number((pay.rps / health.rps).toFixed(3)),
    p50Ms: Number(pay.p50.toFixed(1)),
    p99Ms: Number(pay.p99.toFixed(1)),
    concurrency,
    requests,
    postingPerSecond: Math.round(postingRate),
    postingBaselineCopyPerSecond: Math.round(copyRate),
    postingRatio: Number((postingRate / copyRate).toFixed(3)),
    accounts: numbers.length,
  };
};

/**
 * The baseline: the very rows the use case wrote for the month's payments (payment, ledger transactions
 * and entries, settlements), read back as text and written again with one COPY per table into plain
 * logged tables of the same columns (no triggers, no indexes), in one transaction.
 */
async function rawCopy(ctx: BenchContext): Promise<number> {
  const client = await ctx.database.pool.connect();
  try {
    const tables = ['payment', 'ledger_txn', 'ledger_entry', 'payment_settlement'];
    const data: { table: string; text: string }[] = [];
    for (const table of tables) {
      await client.query(`CREATE TABLE raw_${table} (LIKE ${table})`);
      const rows = await client.query({ text: `SELECT * FROM ${table}`, rowMode: 'array' });
      const text = rows.rows
        .map((r: unknown[]) =>
          r
            .map((v) =>
              v === null
                ? '\\N'
                : copyField(
                    typeof v === 'object' && !(v instanceof Date)
                      ? JSON.stringify(v)
                      : v instanceof Date
                        ? v.toISOString()
                        : (v as CopyValue),
                  ),
            )
            .join('\t'),
        )
        .join('\n');
      data.push({ table, text: `${text}\n` });
    }
    return await timed(async () => {
      await client.query('BEGIN');
      for (const d of data) {
        await pipeline(Readable.from([d.text]), client.query(copyFrom(`COPY raw_${d.table} FROM STDIN`)));
      }
      await client.query('COMMIT');
    });
  } finally {
    client.release();
  }
}

export default bench;
