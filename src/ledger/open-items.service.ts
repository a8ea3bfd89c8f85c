import { type OpenItems, openItems, overdueKopecks, type ReceivableEvent } from '../domain/open-items.ts';
import type { Executor } from '../platform/database.ts';
import { derivedBalances, type ReceivableRow, receivableRows } from './ledger.repository.ts';

/**
 * §9 the receivable entries of an account as the allocation rule sees them: an entry with a due date is a
 * charge for its period (a bill's lines, a refund of an advance or a fee — each due on a day), any other
 * is a credit (a payment naming its period or not, a write-off).
 */
export function receivableEvents(rows: ReceivableRow[]): ReceivableEvent[] {
  return rows.map((r) =>
    r.dueDate !== null || r.amountKopecks > 0
      ? {
          kind: 'charge',
          seq: r.id,
          on: r.occurredOn,
          period: r.period ?? r.occurredOn.slice(0, 7),
          dueDate: r.dueDate ?? r.occurredOn,
          amountKopecks: r.amountKopecks,
        }
      : { kind: 'credit', seq: r.id, on: r.occurredOn, period: r.period, amountKopecks: -r.amountKopecks },
  );
}

export function accountOpenItemsFromRows(rows: ReceivableRow[], accountId: number): OpenItems {
  return openItems(receivableEvents(rows.filter((r) => r.accountId === accountId)));
}

export interface AccountDebt extends OpenItems {
  /** Open charges whose due date is before `asOf` (§10, §11). */
  overdueKopecks: number;
  /** Penalties owed (the penalty book). */
  penaltyKopecks: number;
  /** Energy + penalties; above zero = owed, below = advance. */
  balanceKopecks: number;
}

/** The open items of several accounts on a date, derived from the ledger (§9). */
export async function accountOpenItems(
  db: Executor,
  accountIds: number[],
  asOf: string,
): Promise<Map<number, AccountDebt>> {
  const rows = await receivableRows(db, accountIds);
  const balances = await derivedBalances(db, accountIds);
  const byAccount = new Map<number, ReceivableRow[]>();
  for (const r of rows) {
    const list = byAccount.get(r.accountId);
    if (list) list.push(r);
    else byAccount.set(r.accountId, [r]);
  }
  const out = new Map<number, AccountDebt>();
  for (const id of accountIds) {
    const open = openItems(receivableEvents(byAccount.get(id) ?? []));
    const b = balances.get(id) ?? { receivableKopecks: 0, penaltyKopecks: 0 };
    out.set(id, {
      ...open,
      overdueKopecks: overdueKopecks(open.items, asOf),
      penaltyKopecks: b.penaltyKopecks,
      balanceKopecks: b.receivableKopecks + b.penaltyKopecks,
    });
  }
  return out;
}
