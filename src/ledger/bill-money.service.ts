import { sql } from 'kysely';
import type { BillMoney } from '../domain/bill-document.ts';
import { openItems } from '../domain/open-items.ts';
import { type PenaltyRules, penaltyFor } from '../domain/penalties.ts';
import type { Executor } from '../platform/database.ts';
import { loadParameterHistory } from '../registry/index.ts';
import type { ReceivableRow } from './ledger.repository.ts';
import { receivableEvents } from './open-items.service.ts';

/**
 * What the ledger puts on a bill (domain.md §8–§10), read in ONE statement so that the balance, the
 * payments and the snapshot the bill records agree exactly:
 *  - balance brought forward = the balance now plus the payments shown on this bill (so that
 *    balance forward − payments + charges + penalties is the true balance after this bill);
 *  - payments = payments posted by transactions the previous bill's snapshot did not see (however late
 *    they committed, each payment appears on exactly one bill);
 *  - penalties = the cumulative §10 penalty through the period's last day, less what earlier bills charged.
 */
export async function billMoneyFacts(
  db: Executor,
  o: { accountIds: number[]; period: string; through: string; rules: PenaltyRules },
): Promise<{ snapshot: string; money: Map<number, BillMoney> }> {
  const money = new Map<number, BillMoney>();
  if (o.accountIds.length === 0) return { snapshot: '', money };
  const r = await sql<{
    accountId: number;
    snapshot: string;
    receivable: [number, string, string, string | null, string | null, number][] | null;
    penalty: number;
    postedPenalty: number;
    paymentsSince: number;
  }>`
    WITH acc AS (SELECT unnest(${o.accountIds}::bigint[]) AS id),
    prev AS (
      SELECT DISTINCT ON (account_id) account_id, ledger_snapshot
      FROM bill
      WHERE account_id = ANY(${o.accountIds}::bigint[]) AND status = 'issued' AND period < ${o.period}
      ORDER BY account_id, period DESC, version DESC)
    SELECT acc.id AS "accountId", pg_current_snapshot()::text AS snapshot,
      (SELECT json_agg(json_build_array(e.id, t.kind, e.occurred_on, e.period, e.due_date, e.amount_kopecks)
                       ORDER BY e.id)
       FROM ledger_entry e JOIN ledger_txn t ON t.id = e.txn_id
       WHERE e.account_id = acc.id AND e.book = 'receivable') AS receivable,
      (SELECT coalesce(sum(e.amount_kopecks), 0) FROM ledger_entry e
       WHERE e.account_id = acc.id AND e.book = 'penalty')::bigint AS penalty,
      (SELECT coalesce(sum(e.amount_kopecks), 0) FROM ledger_entry e JOIN ledger_txn t ON t.id = e.txn_id
       WHERE e.account_id = acc.id AND e.book = 'penalty' AND t.kind = 'penalty')::bigint AS "postedPenalty",
      (SELECT coalesce(-sum(e.amount_kopecks), 0) FROM ledger_entry e JOIN ledger_txn t ON t.id = e.txn_id
       WHERE e.account_id = acc.id AND e.book IN ('receivable', 'penalty') AND t.kind = 'payment'
         AND (prev.ledger_snapshot IS NULL OR NOT pg_visible_in_snapshot(t.xid, prev.ledger_snapshot))
      )::bigint AS "paymentsSince"
    FROM acc LEFT JOIN prev ON prev.account_id = acc.id`.execute(db);
  let snapshot = '';
  for (const row of r.rows) {
    snapshot = row.snapshot;
    const rows: ReceivableRow[] = (row.receivable ?? []).map(([id, kind, on, period, due, amount]) => ({
      accountId: row.accountId,
      id,
      txnKind: kind as ReceivableRow['txnKind'],
      occurredOn: on,
      period,
      dueDate: due,
      item: '',
      amountKopecks: amount,
    }));
    const balance = rows.reduce((s, x) => s + x.amountKopecks, 0) + row.penalty;
    // §10 as of the period's last day: a slice paid later counts as open then (penaltyFor cuts it there).
    const open = openItems(receivableEvents(rows));
    const penaltyItems = open.items
      .map((item) => ({
        period: item.period,
        dueDate: item.dueDate,
        cumulativeKopecks: penaltyFor(item, o.through, o.rules).kopecks,
      }))
      .filter((p) => p.cumulativeKopecks !== 0);
    const cumulative = penaltyItems.reduce((s, p) => s + p.cumulativeKopecks, 0);
    const penaltiesKopecks = cumulative - row.postedPenalty;
    money.set(row.accountId, {
      balanceForwardKopecks: balance + row.paymentsSince,
      paymentsKopecks: row.paymentsSince,
      penaltiesKopecks,
      penaltyThrough: o.through,
      penaltyItems,
    });
  }
  return { snapshot, money };
}

/** §10 the penalty rules of a region: key rates, caps, moratoria and the day rules, effective-dated. */
export async function loadPenaltyRules(db: Executor, regionCode: string, on: string): Promise<PenaltyRules> {
  const keys = [
    'key_rate_bp',
    'penalty_rate_cap_bp',
    'penalty_grace_days',
    'penalty_first_divisor_until_day',
    'penalty_divisors',
  ];
  const history = await loadParameterHistory(db, regionCode, keys);
  const valueOn = (key: string, date: string): unknown => {
    let value: unknown;
    for (const row of history.get(key) ?? []) if (row.effectiveFrom <= date) value = row.value;
    return value;
  };
  const moratoria = await sql<{ from: string; to: string; debtBefore: string | null }>`
    SELECT from_date AS "from", to_date AS "to", debt_before AS "debtBefore"
    FROM penalty_moratorium ORDER BY from_date`.execute(db);
  return {
    graceDays: Number(valueOn('penalty_grace_days', on) ?? 30),
    firstUntilDay: Number(valueOn('penalty_first_divisor_until_day', on) ?? 90),
    divisors: (valueOn('penalty_divisors', on) as { first: number; after: number }) ?? {
      first: 300,
      after: 130,
    },
    keyRateBp: (date) => {
      const v = valueOn('key_rate_bp', date);
      if (typeof v !== 'number') throw new Error(`no key rate (key_rate_bp) in force on ${date}`);
      return v;
    },
    capBp: (date) => {
      const v = valueOn('penalty_rate_cap_bp', date);
      return typeof v === 'number' ? v : null;
    },
    moratoria: moratoria.rows,
  };
}
