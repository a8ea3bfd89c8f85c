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

/** Runs `runMoneyDay` now and then whenever the day changes (checked every `everyMs`); returns a stopper. */
export function scheduleMoneyDays(
  deps: LedgerDeps,
  o: {
    everyMs?: number;
    onRun?: (r: Awaited<ReturnType<typeof runMoneyDay>>) => void;
    onError?: (e: unknown) => void;
  },
): () => void {
  let last = '';
  let running = false;
  const tick = async () => {
    const day = formatLocalDate(localDateOf(deps.clock.now(), 'Europe/Moscow'));
    if (day === last || running) return;
    running = true;
    try {
      o.onRun?.(await runMoneyDay(deps, day));
      last = day;
    } catch (e) {
      o.onError?.(e);
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), o.everyMs ?? 600_000);
  timer.unref();
  return () => clearInterval(timer);
}
