import { localDateOf } from '../domain/local-time.ts';
import { formatLocalDate } from '../domain/period.ts';
import { runDebtDay } from './debt.service.ts';
import { settlePayments } from './ledger-ops.service.ts';
import type { LedgerDeps } from './payment.service.ts';

/**
 * The daily work of money (domain.md §9, §11), idempotent, run by the server once a day (and at start):
 * payments whose settlement day has come are credited; the debt cases move by their dates.
 */
export async function runMoneyDay(
  deps: LedgerDeps,
  date?: string,
): Promise<{
  date: string;
  settled: number;
  debt: { eligible: number; opened: number; transitions: number };
}> {
  const day = date ?? formatLocalDate(localDateOf(deps.clock.now(), 'Europe/Moscow'));
  const settled = await settlePayments(deps.db, { through: day });
  const debt = await runDebtDay(deps, day);
  return {
    date: day,
    settled: settled.settled,
    debt: { eligible: debt.eligible, opened: debt.opened, transitions: debt.transitions.length },
  };
}

/**
 * Runs `runMoneyDay` now and then whenever the day changes (checked every `everyMs`). Returns a stopper
 * that resolves once a run in progress has finished (so that shutdown does not pull the database away
 * from under it).
 */
export function scheduleMoneyDays(
  deps: LedgerDeps,
  o: {
    everyMs?: number;
    onRun?: (r: Awaited<ReturnType<typeof runMoneyDay>>) => void;
    onError?: (e: unknown) => void;
  },
): () => Promise<void> {
  let last = '';
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = () => {
    const day = formatLocalDate(localDateOf(deps.clock.now(), 'Europe/Moscow'));
    if (day === last || running || stopped) return;
    running = runMoneyDay(deps, day)
      .then((r) => {
        last = day;
        o.onRun?.(r);
      })
      .catch((e) => o.onError?.(e))
      .finally(() => {
        running = undefined;
      });
  };
  tick();
  const timer = setInterval(tick, o.everyMs ?? 600_000);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
