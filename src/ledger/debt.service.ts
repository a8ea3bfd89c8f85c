import { type DebtCaseState, type DebtEvent, DebtWorkflowError } from '../domain/restriction-workflow.ts';
import { type CaseRow, debtCandidates, insertCases, lockCase, type NewCase } from './debt.repository.ts';
import { type DebtFacts, debtFacts, RegionFacts } from './debt-facts.service.ts';
import {
  checkDate,
  type DebtDeps,
  recordTransition,
  type TransitionRecord,
} from './debt-workflow.service.ts';

/**
 * The daily §11 job. `runDebtDay` judges every account with a debt or a case
 * (set-based, in batches), opens cases for the newly eligible (notice pending) and moves each current case
 * on in its own transaction with the case row locked and the facts re-read under the lock: a repeat of the
 * same day, or two processes at once, change nothing twice.
 */

export interface DebtDayResult {
  date: string;
  checked: number;
  eligible: number;
  opened: number;
  transitions: TransitionRecord[];
  problems: { account: string; code: string }[];
}

/** The event the facts call for on `date` (the job's decision for one current case). */
function eventFor(row: CaseRow, f: DebtFacts, date: string): DebtEvent | undefined {
  if (f.agreementInForce) {
    const signed = f.agreementInForce.signedOn;
    return { kind: 'agreement_signed', date: [signed, row.openedOn].sort()[1]! };
  }
  // Paid in full: no open charge past its due date is left (§9 allocation); penalties are not the debt.
  if (f.overdueKopecks <= 0) return { kind: 'paid_in_full', date };
  if (!f.eligibility) return undefined;
  return { kind: 'due', date, eligible: f.eligibility.eligible };
}

const ENDED: readonly DebtCaseState[] = ['closed', 'cancelled'];

async function advanceCase(
  deps: DebtDeps,
  caseId: number,
  regions: RegionFacts,
  actor: string,
): Promise<TransitionRecord | null> {
  return deps.db.transaction().execute(async (tx) => {
    const row = await lockCase(tx, caseId);
    // Reconnection waits for its order only; an ended case is history.
    if (!row || ENDED.includes(row.state) || row.state === 'reconnection_ordered') return null;
    const f = (await debtFacts(tx, [row.accountId], regions)).get(row.accountId);
    if (!f) return null;
    const event = eventFor(row, f, regions.date);
    if (!event) return null;
    return recordTransition(tx, row, f.account, event, actor, {
      overdueKopecks: f.overdueKopecks,
      thresholdKopecks: f.eligibility?.thresholdKopecks ?? null,
      agreement: f.agreementInForce?.document ?? null,
    });
  });
}

/** §11 the daily job for `date` ('YYYY-MM-DD'). */
export async function runDebtDay(
  deps: DebtDeps,
  date: string,
  o: { batchSize?: number; actor?: string; onProgress?: (checked: number) => void } = {},
): Promise<DebtDayResult> {
  checkDate(date);
  const actor = o.actor ?? 'debt-job';
  const batch = o.batchSize ?? 1000;
  const regions = new RegionFacts(date, deps.clock.now());
  const result: DebtDayResult = { date, checked: 0, eligible: 0, opened: 0, transitions: [], problems: [] };
  let after = 0;
  for (;;) {
    const ids = await debtCandidates(deps.db, after, batch);
    if (ids.length === 0) break;
    after = ids[ids.length - 1]!;
    const facts = await debtFacts(deps.db, ids, regions);
    const toOpen: NewCase[] = [];
    const withCase: number[] = [];
    for (const f of facts.values()) {
      result.checked += 1;
      if (f.problem) {
        result.problems.push({ account: f.account.number, code: f.problem });
        continue;
      }
      if (f.eligibility?.eligible) result.eligible += 1;
      if (f.currentCase) withCase.push(f.currentCase.id);
      else if (f.eligibility?.eligible && f.account.status === 'active')
        toOpen.push({
          accountId: f.account.accountId,
          overdueKopecks: f.overdueKopecks,
          thresholdKopecks: f.eligibility.thresholdKopecks,
        });
    }
    const opened = await deps.db.transaction().execute((tx) =>
      insertCases(tx, toOpen, {
        date,
        actor,
        details: { actions: [{ kind: 'notify', message: 'debt_notice' }] },
      }),
    );
    result.opened += opened.length;
    for (const caseId of withCase) {
      try {
        const t = await advanceCase(deps, caseId, regions, actor);
        if (t) result.transitions.push(t);
      } catch (e) {
        // One case the machine cannot move (e.g. dates entered out of order) does not stop the others.
        if (!(e instanceof DebtWorkflowError)) throw e;
        const f = [...facts.values()].find((x) => x.currentCase?.id === caseId);
        result.problems.push({ account: f?.account.number ?? String(caseId), code: `DEBT_${e.code}` });
      }
    }
    o.onProgress?.(result.checked);
  }
  return result;
}
