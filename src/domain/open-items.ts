/**
 * §9 allocation of credits to charges, derived from the ledger's receivable entries of one account:
 * "to the period named with the payment; otherwise to the oldest debt. An overpayment is carried forward."
 * Pure: the ledger replays its entries in posting order (`seq`) and gets, per period, what was charged,
 * what paid it and when (the dated slices §10 penalties count on), and the advance carried forward.
 */
import type { Period } from './period.ts';

export type ReceivableEvent =
  /** A charge for a period (a bill's lines, a fee, a refund paid out of the advance); negative = a credit for that period. */
  | { kind: 'charge'; seq: number; on: string; period: Period; dueDate: string; amountKopecks: number }
  /** A payment or write-off (amount > 0 reduces the debt); `period` = the period the payer named. */
  | { kind: 'credit'; seq: number; on: string; period: Period | null; amountKopecks: number };

export interface OpenItem {
  period: Period;
  dueDate: string;
  chargedKopecks: number;
  paidKopecks: number;
  openKopecks: number;
  /** The slices that paid it, in order: when and how much (the payment day counts for §10). */
  payments: { on: string; amountKopecks: number }[];
}

export interface OpenItems {
  /** By period ascending. */
  items: OpenItem[];
  /** Credit not allocated to any charge, carried forward (≥ 0). */
  advanceKopecks: number;
}

/**
 * Replays the events in `seq` order:
 *  - a credit pays its named period's open amount first, then the oldest open periods, the rest is advance;
 *  - a charge adds to its period (the latest charge's due date is the period's); an advance pays it at once;
 *  - a negative charge first takes back what is still open of its own period (its `paid` stays: it is a
 *    reduction of the charge), the excess acts as an unnamed credit on its day.
 * Invariant: Σ charges − Σ credits = Σ open − advance.
 */
export function openItems(events: readonly ReceivableEvent[]): OpenItems {
  const byPeriod = new Map<Period, OpenItem>();
  let advance = 0;
  const sorted = [...events].sort((a, b) => a.seq - b.seq);

  const item = (period: Period, dueDate: string): OpenItem => {
    let it = byPeriod.get(period);
    if (!it) {
      it = { period, dueDate, chargedKopecks: 0, paidKopecks: 0, openKopecks: 0, payments: [] };
      byPeriod.set(period, it);
    }
    return it;
  };
  const pay = (it: OpenItem, amount: number, on: string): number => {
    const paid = Math.min(amount, it.openKopecks);
    if (paid <= 0) return 0;
    it.openKopecks -= paid;
    it.paidKopecks += paid;
    const last = it.payments.at(-1);
    if (last && last.on === on) last.amountKopecks += paid;
    else it.payments.push({ on, amountKopecks: paid });
    return paid;
  };
  const payOldest = (amount: number, on: string): number => {
    let left = amount;
    for (const it of [...byPeriod.values()].sort(byPeriodThenDue)) {
      if (left <= 0) break;
      left -= pay(it, left, on);
    }
    return left;
  };

  for (const e of sorted) {
    if (!Number.isSafeInteger(e.amountKopecks))
      throw new RangeError(`amount must be whole kopecks (seq ${e.seq})`);
    if (e.kind === 'credit') {
      if (e.amountKopecks < 0) throw new RangeError(`a credit must not be negative (seq ${e.seq})`);
      let left = e.amountKopecks;
      if (e.period !== null) {
        const named = byPeriod.get(e.period);
        if (named) left -= pay(named, left, e.on);
      }
      advance += payOldest(left, e.on);
      continue;
    }
    const it = item(e.period, e.dueDate);
    if (e.dueDate > it.dueDate) it.dueDate = e.dueDate;
    if (e.amountKopecks >= 0) {
      it.chargedKopecks += e.amountKopecks;
      it.openKopecks += e.amountKopecks;
      if (advance > 0) advance -= pay(it, advance, e.on);
    } else {
      const credit = -e.amountKopecks;
      const cut = Math.min(credit, it.openKopecks);
      it.chargedKopecks -= cut;
      it.openKopecks -= cut;
      // What the period had already been paid beyond its reduced charge becomes free credit.
      advance += payOldest(credit - cut, e.on);
    }
  }
  return { items: [...byPeriod.values()].sort(byPeriodThenDue), advanceKopecks: advance };
}

function byPeriodThenDue(a: OpenItem, b: OpenItem): number {
  return a.period < b.period
    ? -1
    : a.period > b.period
      ? 1
      : a.dueDate < b.dueDate
        ? -1
        : a.dueDate > b.dueDate
          ? 1
          : 0;
}

/** §10/§11 the open amount of items whose due date is before `asOf` ('YYYY-MM-DD'). */
export function overdueKopecks(items: readonly OpenItem[], asOf: string): number {
  return items.reduce((s, i) => s + (i.dueDate < asOf ? i.openKopecks : 0), 0);
}
