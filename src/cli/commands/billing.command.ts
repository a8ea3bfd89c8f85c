import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import {
  BillingError,
  type BillingProgress,
  closePeriodIn,
  type RegionResult,
  runBilling,
  workRun,
} from '../../billing/index.ts';
import { isPeriod } from '../../domain/period.ts';
import { type CliContext, CliInputError } from '../cli-context.ts';
import { spawnCli } from '../spawn-cli.ts';

/** --period YYYY-MM, or a refusal with a reason code. */
export function period(value: unknown): string {
  const p = String(value ?? '');
  if (!isPeriod(p))
    throw new CliInputError('BAD_PERIOD', `--period: ГГГГ-ММ, например 2026-10 / YYYY-MM, got "${p}"`);
  return p;
}

function batchSize(value: unknown): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100_000) {
    throw new CliInputError('BATCH_INVALID', '--batch: целое число от 1 до 100000 / an integer 1..100000');
  }
  return n;
}

function inFlightCount(value: unknown): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 8) {
    throw new CliInputError('IN_FLIGHT_INVALID', '--in-flight: целое число от 1 до 8 / an integer 1..8');
  }
  return n;
}

/** Billing refusals become CLI input errors with their reason code (exit 2, nothing written). */
export async function refusalsAsInput<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof BillingError) throw new CliInputError(e.code, e.message);
    throw e;
  }
}

/** A progress bar with rate and ETA on a terminal; a line each 10 % otherwise. */
function progressReporter(ctx: CliContext) {
  let bar: cliProgress.SingleBar | undefined;
  let key = '';
  let nextShare = 0;
  return {
    update(p: BillingProgress) {
      const k = `${p.regionCode}/${p.period}`;
      const eta = p.etaSeconds === null ? '—' : `${Math.ceil(p.etaSeconds)} s`;
      if (ctx.interactive) {
        if (k !== key) {
          bar?.stop();
          bar = new cliProgress.SingleBar(
            {
              format: `${k} |{bar}| {percentage}% {value}/{total} счетов · {rate}/s · осталось {eta_text} · {phase}`,
              hideCursor: true,
              stream: process.stderr,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(p.accounts, p.accountsDone, { rate: 0, eta_text: '—', phase: p.phase });
          key = k;
        }
        bar?.setTotal(p.accounts);
        bar?.update(p.accountsDone, { rate: Math.round(p.rate), eta_text: eta, phase: p.phase });
        if (p.phase === 'done') {
          bar?.stop();
          bar = undefined;
          key = '';
        }
        return;
      }
      if (k !== key) {
        key = k;
        nextShare = 0;
      }
      const share = p.accounts === 0 ? 1 : p.accountsDone / p.accounts;
      if (share >= nextShare || p.phase !== 'billing') {
        ctx.err(
          `${k}: ${(share * 100).toFixed(0)}%  ${p.accountsDone}/${p.accounts} счетов  ${Math.round(p.rate)}/s  осталось ${eta}  (${p.phase})`,
        );
        nextShare = Math.floor(share * 10) / 10 + 0.1;
      }
    },
    stop() {
      bar?.stop();
    },
  };
}

function printResult(ctx: CliContext, r: RegionResult): void {
  if (r.refused) {
    ctx.out(`${r.regionCode} ${r.period}: отказ ${r.refused.code}: ${r.refused.message}`);
    return;
  }
  const c = r.counts;
  if (!c) return;
  ctx.out(
    `${r.regionCode} ${r.period}: расчёт №${r.run?.id} (повтор ${r.run?.generation}) — ${c.accountsDone}/${c.accounts} счетов, новых версий ${c.billed}, без изменений ${c.unchanged}, ошибок ${c.problems}; черновиков ${c.drafts}, выпущено ${c.issued}${r.seconds !== undefined ? `, ${r.seconds.toFixed(1)} с` : ''}`,
  );
  for (const p of r.problems ?? []) {
    ctx.out(`  ! ${p.accountNumber ?? `дом ${p.houseId}`}  ${p.code}  ${p.message}`);
  }
  if (c.problems > (r.problems?.length ?? 0)) ctx.out(`  … и ещё ${c.problems - (r.problems?.length ?? 0)}`);
}

export function registerBillingCommands(program: Command, ctx: CliContext): void {
  program
    .command('period')
    .description('Billing periods (§5)')
    .command('close')
    .description('Close a billing period after its month and readings window have ended')
    .requiredOption('--period <YYYY-MM>', 'the period')
    .option('--region <code...>', 'regions (default: every region with houses)')
    .action(async (o) => {
      const app = await ctx.app();
      const p = period(o.period);
      const closed = await refusalsAsInput(() =>
        closePeriodIn(app.database.db, app.clock, { period: p, regionCodes: o.region }),
      );
      for (const r of closed) {
        ctx.out(
          `${r.regionCode} ${p}: ${r.alreadyClosed ? 'уже закрыт / already closed' : 'закрыт / closed'}`,
        );
      }
    });

  program
    .command('bill')
    .description('Bill a period (§5–§8): resumable, idempotent, shared by several processes')
    .requiredOption('--period <YYYY-MM>', 'the period to bill')
    .option('--region <code...>', 'regions (default: every region with houses)')
    .option('--workers <n>', 'worker processes', '1')
    .option('--repeat', 'repeat the draft run: recompute every unissued bill (unchanged bills stay)')
    .option('--issue', 'issue the drafts when the run is complete')
    .option('--skip-problems', 'with --issue: issue even though some accounts could not be billed')
    .option('--batch <accounts>', 'accounts per transaction (several small houses go together)', '400')
    .option(
      '--in-flight <n>',
      'transactions each worker keeps going at once (default 2 with one worker, 1 with several)',
    )
    .option('--json', 'print the result as JSON')
    .action(async (o) => {
      const app = await ctx.app();
      const workers = Number(o.workers);
      const batch = batchSize(o.batch);
      // Measured on 2 cores, 1M accounts: one worker is fastest with two transactions in flight (its CPU
      // composes while PostgreSQL writes); several workers are fastest with one each (docs/billing.md).
      const inFlight = o.inFlight === undefined ? (workers > 1 ? 1 : 2) : inFlightCount(o.inFlight);
      if (!Number.isInteger(workers) || workers < 1 || workers > 64) {
        throw new CliInputError('WORKERS_INVALID', '--workers: целое число от 1 до 64 / an integer 1..64');
      }
      const reporter = progressReporter(ctx);
      const results = await refusalsAsInput(() =>
        runBilling(app.database, app.clock, {
          period: period(o.period),
          regionCodes: o.region,
          repeat: Boolean(o.repeat),
          issue: Boolean(o.issue),
          skipProblems: Boolean(o.skipProblems),
          workers,
          batchAccounts: batch,
          inFlight,
          spawnWorker: (runId) =>
            spawnCli(
              [
                'bill-worker',
                '--run',
                String(runId),
                '--batch',
                String(batch),
                '--in-flight',
                String(inFlight),
              ],
              app.url,
            ),
          onProgress: (p) => reporter.update(p),
        }),
      ).finally(() => reporter.stop());
      if (o.json) ctx.out(JSON.stringify(results, null, 2));
      else for (const r of results) printResult(ctx, r);
      if (results.some((r) => r.refused)) {
        const first = results.find((r) => r.refused)?.refused;
        throw new CliInputError(first?.code ?? 'REFUSED', first?.message ?? '', { printed: true });
      }
    });

  program
    .command('bill-worker', { hidden: true })
    .description('One worker process of a billing run (started by `bill --workers N`)')
    .requiredOption('--run <id>', 'the run id')
    .option('--batch <accounts>', 'accounts per transaction', '400')
    .option('--in-flight <n>', 'transactions kept going at once', '2')
    .action(async (o) => {
      const app = await ctx.app();
      await workRun(app.database, app.clock, Number(o.run), {
        worker: `pid-${process.pid}`,
        batchAccounts: batchSize(o.batch),
        inFlight: inFlightCount(o.inFlight),
      });
    });
}
