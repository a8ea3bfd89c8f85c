import { localDateOf } from '../domain/local-time.ts';
import { formatLocalDate, parseLocalDate } from '../domain/period.ts';
import {
  applyDebtEvent,
  type DebtAction,
  type DebtCase,
  type DebtCaseState,
  type DebtEvent,
  DebtWorkflowError,
  isNoticeChannel,
  type NoticeChannel,
} from '../domain/restriction-workflow.ts';
import { billDates, billRuleDate } from '../domain/working-days.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db, Executor } from '../platform/database.ts';
import { findRegion, loadRuleParameters } from '../registry/index.ts';
import { regionCalendar } from './calendar.repository.ts';
import {
  type AccountRow,
  accountIdByNumber,
  accountRows,
  type CaseRow,
  insertEvent,
  lockCurrentCase,
  updateCase,
} from './debt.repository.ts';
import { DebtErrors } from './debt-messages.ts';
import { cancelOpenOrders, insertFieldOrder, insertMeterCommand } from './debt-orders.repository.ts';
import { lockBalance, postTxn, writeBalance } from './ledger.repository.ts';
import { LedgerError } from './ledger-errors.ts';
import { loadMoneyParameters } from './money-parameters.repository.ts';

/**
 * Persists §11 transitions: the pure machine (restriction-workflow.ts) decides, this file writes the new
 * state, the audit event and the actions (orders, command requests, order cancellations, the fee) in the
 * caller's transaction, with the case row locked. The operator's record of the notice delivered.
 */

export interface DebtDeps {
  db: Db;
  clock: Clock;
}

/** One recorded transition: what the audit trail says and what was done. */
export interface TransitionRecord {
  caseId: number;
  accountId: number;
  account: string;
  on: string;
  event: DebtEvent['kind'];
  from: DebtCaseState;
  to: DebtCaseState;
  actions: (DebtAction & { id?: number | null })[];
  /** The case after the transition. */
  after: DebtCase;
}

/** The fee (§11 reconnection costs) is due with the bill of the month it is charged in (§5). */
async function feeDueDate(db: Executor, region: string, on: string): Promise<string> {
  const period = on.slice(0, 7);
  const rule = await loadRuleParameters(db, region, formatLocalDate(billRuleDate(period)));
  const dates = billDates(period, rule, await regionCalendar(db, region));
  return formatLocalDate(dates.dueDate);
}

async function performAction(
  tx: Executor,
  row: CaseRow,
  account: AccountRow,
  a: DebtAction,
  on: string,
  actor: string,
): Promise<DebtAction & { id?: number | null }> {
  switch (a.kind) {
    case 'field_order': {
      const id = await insertFieldOrder(tx, {
        caseId: row.id,
        accountId: row.accountId,
        kind: a.command,
        orderedOn: on,
        notBefore: a.notBefore,
        dueBy: a.dueBy,
      });
      return { ...a, id: id ?? null };
    }
    case 'meter_command': {
      if (account.smartMeterId === null) throw new Error(`account ${account.number} has no smart meter`);
      const id = await insertMeterCommand(tx, {
        caseId: row.id,
        meterId: account.smartMeterId,
        command: a.command,
        notBefore: a.notBefore,
        dueBy: a.dueBy,
        by: actor,
      });
      return { ...a, id: id ?? null };
    }
    case 'cancel_open_orders':
      return { ...a, ...(await cancelOpenOrders(tx, row.id)) };
    case 'charge_fee': {
      const dueDate = await feeDueDate(tx, account.regionCode, on);
      const before = await lockBalance(tx, account.accountId);
      const txnId = await postTxn(
        tx,
        {
          kind: 'fee',
          accountId: account.accountId,
          occurredOn: on,
          source: `debt-fee:${row.id}`,
          memo: `§11 reconnection costs, debt case ${row.id}`,
          postedBy: actor,
        },
        [
          {
            book: 'receivable',
            accountId: account.accountId,
            principalId: account.principalId,
            period: on.slice(0, 7),
            dueDate,
            item: 'fee',
            channel: null,
            amountKopecks: a.kopecks,
          },
          {
            book: 'revenue',
            accountId: null,
            principalId: account.principalId,
            period: on.slice(0, 7),
            dueDate: null,
            item: 'fee',
            channel: null,
            amountKopecks: -a.kopecks,
          },
        ],
      );
      if (txnId !== null) {
        await writeBalance(tx, account.accountId, {
          ...before,
          receivableKopecks: before.receivableKopecks + a.kopecks,
        });
      }
      return { ...a, id: txnId };
    }
    case 'notify':
      return a;
  }
}

/**
 * Applies an event to a locked case and records it. Returns null when the event changed nothing.
 * Throws DebtWorkflowError for an event the state cannot take (the transaction then writes nothing).
 */
export async function recordTransition(
  tx: Executor,
  row: CaseRow,
  account: AccountRow,
  event: DebtEvent,
  actor: string,
  extra: Record<string, unknown> = {},
): Promise<TransitionRecord | null> {
  const p = await loadMoneyParameters(tx, account.regionCode, event.date);
  const t = applyDebtEvent(row, event, {
    params: {
      restrictionNoticeDays: p.restrictionNoticeDays,
      suspensionAfterDays: p.suspensionAfterDays,
      reconnectionDays: p.reconnectionDays,
      reconnectionCostKopecks: p.reconnectionCostKopecks,
      reconnectionCostCapKopecks: p.reconnectionCostCapKopecks,
    },
    remote: account.smartMeterId !== null,
    restrictionPossible: row.restrictionPossible,
  });
  if (!t.changed) return null;
  await updateCase(tx, row.id, t.from, t.case);
  const actions = [];
  for (const a of t.actions) actions.push(await performAction(tx, row, account, a, event.date, actor));
  await insertEvent(tx, {
    caseId: row.id,
    onDate: event.date,
    from: t.from,
    to: t.to,
    event: event.kind,
    actor,
    details: { event, actions, ...extra },
  });
  return {
    caseId: row.id,
    accountId: row.accountId,
    account: account.number,
    on: event.date,
    event: event.kind,
    from: t.from,
    to: t.to,
    actions,
    after: t.case,
  };
}

export async function accountByNumber(db: Executor, number: string): Promise<AccountRow> {
  const id = await accountIdByNumber(db, number);
  const row = id === undefined ? undefined : (await accountRows(db, [id]))[0];
  if (!row) throw LedgerError.accountNotFound(number);
  return row;
}

/** The local date of the clock in the account's region (the default day of an operator's action). */
export async function todayIn(deps: DebtDeps, regionCode: string): Promise<string> {
  const region = await findRegion(deps.db, regionCode);
  return formatLocalDate(localDateOf(deps.clock.now(), region?.timeZone ?? 'Europe/Moscow'));
}

/** A 'YYYY-MM-DD' calendar date, or a VALIDATION_FAILED refusal. */
export function checkDate(date: string): string {
  try {
    parseLocalDate(date);
  } catch {
    throw DebtErrors.badInput(`дата «${date}» — нужен формат ГГГГ-ММ-ДД`);
  }
  return date;
}

/** A transaction whose machine refusals become reason codes for the account. */
export async function inCase<T>(
  deps: DebtDeps,
  account: AccountRow,
  work: (tx: Executor) => Promise<T>,
): Promise<T> {
  try {
    return await deps.db.transaction().execute(work);
  } catch (e) {
    if (e instanceof DebtWorkflowError) throw DebtErrors.workflow(e, account.number);
    throw e;
  }
}

/**
 * §11 the notice was delivered (bill, SMS, e-mail, registered mail, personal account) on `date`: the
 * restriction date is fixed from it. Repeating the same delivery changes nothing.
 */
export async function recordNoticeDelivered(
  deps: DebtDeps,
  input: { account: string; date: string; channel: string; by: string },
): Promise<{ caseId: number; restrictFrom: string | null; transition: TransitionRecord | null }> {
  if (!isNoticeChannel(input.channel))
    throw DebtErrors.badInput(`канал «${input.channel}»: bill | sms | email | mail | lkk`);
  const date = checkDate(input.date);
  const account = await accountByNumber(deps.db, input.account);
  return inCase(deps, account, async (tx) => {
    const row = await lockCurrentCase(tx, account.accountId);
    if (!row) throw DebtErrors.caseNotFound(input.account);
    if (row.noticeDeliveredOn === date && row.noticeChannel === input.channel)
      return { caseId: row.id, restrictFrom: row.restrictFrom, transition: null };
    const channel: NoticeChannel = input.channel as NoticeChannel;
    const t = await recordTransition(tx, row, account, { kind: 'notice_delivered', date, channel }, input.by);
    return { caseId: row.id, restrictFrom: t?.after.restrictFrom ?? row.restrictFrom, transition: t };
  });
}
