import type { DebtCaseState, NextStep } from '../domain/restriction-workflow.ts';
import { nextStep } from '../domain/restriction-workflow.ts';
import type { Executor } from '../platform/database.ts';
import {
  accountRows,
  type CaseEventRow,
  type CaseRow,
  caseEvents,
  casesOfAccount,
  currentCases,
  debtCandidates,
  listCases,
} from './debt.repository.ts';
import { type AgreementView, type DebtFacts, debtFacts, RegionFacts } from './debt-facts.service.ts';
import { NEXT_STEP_NAMES, noticeText, STATE_NAMES } from './debt-messages.ts';
import {
  caseCommands,
  caseOrders,
  type FieldOrderRow,
  type MeterCommandRow,
} from './debt-orders.repository.ts';
import { accountByNumber, checkDate, type DebtDeps, todayIn } from './debt-workflow.service.ts';
import { loadMoneyParameters } from './money-parameters.repository.ts';

/** The read side of §11: the debt list, one account's picture, cases with their next step, notice texts. */

export interface DebtListRow {
  account: string;
  address: string;
  payerName: string;
  overdueKopecks: number;
  balanceKopecks: number;
  normChargeKopecks: number | null;
  thresholdKopecks: number | null;
  eligible: boolean;
  reason: string;
  agreement: { document: string; status: string; nextDue: string | null } | null;
  caseId: number | null;
  state: DebtCaseState | 'none';
  stateName: string;
  nextStep: NextStep | 'open_case';
  nextStepName: string;
  nextOn: string | null;
}

function agreementSummary(v: AgreementView | undefined) {
  return v
    ? { document: v.document, status: v.state.status, nextDue: v.state.nextDue?.dueDate ?? null }
    : null;
}

export function debtListRow(f: DebtFacts): DebtListRow {
  const c = f.currentCase;
  const eligible = f.eligibility?.eligible ?? false;
  const step = c
    ? nextStep(c)
    : { step: eligible ? ('open_case' as const) : ('none' as const), on: eligible ? f.date : null };
  return {
    account: f.account.number,
    address: f.account.address,
    payerName: f.account.payerName,
    overdueKopecks: f.overdueKopecks,
    balanceKopecks: f.balanceKopecks,
    normChargeKopecks: f.normCharge?.kopecks ?? null,
    thresholdKopecks: f.eligibility?.thresholdKopecks ?? null,
    eligible,
    reason: f.problem ?? f.eligibility?.reason ?? 'unknown',
    agreement: agreementSummary(f.agreementInForce ?? f.agreements.at(-1)),
    caseId: c?.id ?? null,
    state: c?.state ?? 'none',
    stateName: c ? STATE_NAMES[c.state].ru : 'дела нет',
    nextStep: step.step,
    nextStepName: NEXT_STEP_NAMES[step.step].ru,
    nextOn: step.on,
  };
}

/** Accounts with an overdue debt or a current case on `date`, judged by §11 (for `abonent debt list`). */
export async function debtList(
  deps: DebtDeps,
  o: { date: string; state?: DebtCaseState | 'none' | undefined; limit?: number },
): Promise<DebtListRow[]> {
  checkDate(o.date);
  const limit = o.limit ?? 1000;
  const regions = new RegionFacts(o.date, deps.clock.now());
  const rows: DebtListRow[] = [];
  let after = 0;
  while (rows.length < limit) {
    const ids = await debtCandidates(deps.db, after, 1000);
    if (ids.length === 0) break;
    after = ids[ids.length - 1]!;
    for (const f of (await debtFacts(deps.db, ids, regions)).values()) {
      if (f.overdueKopecks <= 0 && !f.currentCase) continue;
      const row = debtListRow(f);
      if (o.state !== undefined && row.state !== o.state) continue;
      rows.push(row);
      if (rows.length >= limit) break;
    }
  }
  return rows;
}

export interface AccountDebtView extends DebtListRow {
  date: string;
  agreements: AgreementView[];
  cases: (CaseRow & { events: CaseEventRow[]; orders: FieldOrderRow[]; commands: MeterCommandRow[] })[];
}

/** One account's §11 picture on `date`: the judgement, agreements and every case with its audit trail. */
export async function accountDebt(
  deps: DebtDeps,
  o: { account: string; date?: string | undefined },
): Promise<AccountDebtView> {
  const account = await accountByNumber(deps.db, o.account);
  const date = checkDate(o.date ?? (await todayIn(deps, account.regionCode)));
  const f = (await debtFacts(deps.db, [account.accountId], new RegionFacts(date, deps.clock.now()))).get(
    account.accountId,
  )!;
  return {
    ...debtListRow(f),
    date,
    agreements: f.agreements,
    cases: await casesWithHistory(deps.db, account.accountId),
  };
}

async function casesWithHistory(db: Executor, accountId: number) {
  const cases = await casesOfAccount(db, accountId);
  const ids = cases.map((c) => c.id);
  const [events, orders, commands] = await Promise.all([
    caseEvents(db, ids),
    caseOrders(db, ids),
    caseCommands(db, ids),
  ]);
  return cases.map((c) => ({
    ...c,
    events: events.filter((e) => e.caseId === c.id),
    orders: orders.filter((x) => x.caseId === c.id),
    commands: commands.filter((x) => x.caseId === c.id),
  }));
}

/** Cases (current by default, or of one state) with their next step, keyset-paged by case id. */
export async function listDebtCases(
  db: Executor,
  o: { state?: DebtCaseState | undefined; all?: boolean; afterId?: number; limit?: number },
) {
  const rows = await listCases(db, { ...o, limit: Math.min(Math.max(o.limit ?? 100, 1), 10_000) });
  return rows.map((r) => {
    const step = nextStep(r);
    return {
      ...r,
      stateName: STATE_NAMES[r.state].ru,
      nextStep: step.step,
      nextStepName: NEXT_STEP_NAMES[step.step].ru,
      nextOn: step.on,
    };
  });
}

/**
 * §8 / §11 the notice text for accounts whose case waits for its notice to be delivered: the billing run
 * prints it on the next bill (then records delivery with channel 'bill'), the personal account shows it.
 */
export async function pendingDebtNotices(
  db: Executor,
  accountIds: number[],
  date: string,
): Promise<Map<number, { caseId: number; ru: string; en: string }>> {
  const out = new Map<number, { caseId: number; ru: string; en: string }>();
  const cases = (await currentCases(db, accountIds)).filter((c) => c.state === 'notice_pending');
  const accounts = new Map(
    (
      await accountRows(
        db,
        cases.map((c) => c.accountId),
      )
    ).map((a) => [a.accountId, a]),
  );
  for (const c of cases) {
    const a = accounts.get(c.accountId);
    if (!a) continue;
    const p = await loadMoneyParameters(db, a.regionCode, date);
    const text = noticeText('debt_notice', {
      account: a.number,
      overdueKopecks: c.overdueKopecks,
      noticeDays: p.restrictionNoticeDays,
    });
    out.set(c.accountId, { caseId: c.id, ...text });
  }
  return out;
}
