import {
  type AgreementState,
  agreementState,
  type DebtEligibility,
  debtEligibility,
  type NormCharge,
  normMonthlyCharge,
  type SingleRateRange,
} from '../domain/debt-eligibility.ts';
import type { MoneyParameters } from '../domain/money-parameters.ts';
import type { NormTableRow } from '../domain/volume-norm.ts';
import type { Executor } from '../platform/database.ts';
import { loadParameterValues, normsInForce } from '../registry/index.ts';
import {
  type AccountRow,
  accountRows,
  type CaseRow,
  currentCases,
  singleRateSchedules,
} from './debt.repository.ts';
import { type AgreementRow, agreementRows } from './debt-agreement.repository.ts';
import { loadMoneyParameters } from './money-parameters.repository.ts';
import { accountOpenItems } from './open-items.service.ts';

/**
 * The facts §11 judges an account on, on a date, for a batch of accounts at once: the overdue debt
 * derived from the ledger (§9 allocation), the norm-based monthly charge (norm table and single-rate tariff
 * of the account's region loaded once per region), the repayment agreements and the current case.
 */

export type DebtProblem = 'NO_NORM' | 'NO_TARIFF';

export interface AgreementView {
  id: number;
  document: string;
  signedOn: string;
  totalKopecks: number;
  paidSinceSigningKopecks: number;
  state: AgreementState;
}

export interface DebtFacts {
  account: AccountRow;
  date: string;
  overdueKopecks: number;
  balanceKopecks: number;
  normCharge: NormCharge | undefined;
  /** Undefined when the account cannot be judged (`problem`). */
  eligibility: DebtEligibility | undefined;
  problem: DebtProblem | undefined;
  agreements: AgreementView[];
  /** The agreement in force, if any (the latest signed). */
  agreementInForce: AgreementView | undefined;
  currentCase: CaseRow | undefined;
}

/** Per-region lookups shared by a run (norms, tariffs and parameters in force on the date). */
export class RegionFacts {
  private readonly norms = new Map<string, Promise<NormTableRow[]>>();
  private readonly tariffs = new Map<string, Promise<Map<string, SingleRateRange[]>>>();
  private readonly grace = new Map<string, Promise<number>>();

  constructor(
    readonly date: string,
    private readonly now: Date,
  ) {}

  normTable(db: Executor, region: string): Promise<NormTableRow[]> {
    let p = this.norms.get(region);
    if (!p) {
      p = normsInForce(db, { region, on: this.date, now: this.now }).then((rows) =>
        rows.map((n) => ({
          stoveType: n.stoveType,
          rooms: n.rooms,
          residents: n.residents,
          whPerPerson: n.whPerPerson,
        })),
      );
      this.norms.set(region, p);
    }
    return p;
  }

  schedules(db: Executor, region: string): Promise<Map<string, SingleRateRange[]>> {
    let p = this.tariffs.get(region);
    if (!p) {
      p = singleRateSchedules(db, region, this.date);
      this.tariffs.set(region, p);
    }
    return p;
  }

  params(db: Executor, region: string): Promise<MoneyParameters> {
    return loadMoneyParameters(db, region, this.date);
  }

  /** Parameter `agreement_grace_days` (migration 0012). */
  graceDays(db: Executor, region: string): Promise<number> {
    let p = this.grace.get(region);
    if (!p) {
      p = loadParameterValues(db, region, this.date).then((v) => Number(v.get('agreement_grace_days') ?? 0));
      this.grace.set(region, p);
    }
    return p;
  }
}

function agreementView(a: AgreementRow, date: string, graceDays: number): AgreementView {
  return {
    id: a.id,
    document: a.document,
    signedOn: a.signedOn,
    totalKopecks: a.totalKopecks,
    paidSinceSigningKopecks: a.paidSinceSigningKopecks,
    state: agreementState(
      {
        signedOn: a.signedOn,
        totalKopecks: a.totalKopecks,
        instalments: a.instalments ?? [],
        paidSinceSigningKopecks: a.paidSinceSigningKopecks,
        terminatedOn: a.terminatedOn,
      },
      date,
      graceDays,
    ),
  };
}

/** §11 facts of several accounts on `date` (`regions` may be shared across batches of one run). */
export async function debtFacts(
  db: Executor,
  accountIds: number[],
  regions: RegionFacts,
): Promise<Map<number, DebtFacts>> {
  const date = regions.date;
  const out = new Map<number, DebtFacts>();
  if (accountIds.length === 0) return out;
  const [accounts, open, agreements, cases] = await Promise.all([
    accountRows(db, accountIds),
    accountOpenItems(db, accountIds, date),
    agreementRows(db, accountIds, date),
    currentCases(db, accountIds),
  ]);
  const agreementsOf = new Map<number, AgreementRow[]>();
  for (const a of agreements) agreementsOf.set(a.accountId, [...(agreementsOf.get(a.accountId) ?? []), a]);
  const caseOf = new Map(cases.map((c) => [c.accountId, c]));
  for (const account of accounts) {
    const region = account.regionCode;
    const [norms, schedules, params, graceDays] = await Promise.all([
      regions.normTable(db, region),
      regions.schedules(db, region),
      regions.params(db, region),
      regions.graceDays(db, region),
    ]);
    const debt = open.get(account.accountId);
    const overdueKopecks = debt?.overdueKopecks ?? 0;
    const schedule = schedules.get(account.category) ?? [];
    const normCharge = normMonthlyCharge({
      residents: account.residents,
      rooms: account.rooms,
      stoveType: account.stoveType,
      norms,
      schedule,
    });
    const views = (agreementsOf.get(account.accountId) ?? []).map((a) => agreementView(a, date, graceDays));
    const inForce = views.filter((v) => v.state.status === 'in_force').at(-1);
    const problem: DebtProblem | undefined =
      normCharge !== undefined ? undefined : schedule.length === 0 ? 'NO_TARIFF' : 'NO_NORM';
    out.set(account.accountId, {
      account,
      date,
      overdueKopecks,
      balanceKopecks: debt?.balanceKopecks ?? 0,
      normCharge,
      eligibility:
        normCharge === undefined
          ? undefined
          : debtEligibility({
              overdueKopecks,
              normMonthlyChargeKopecks: normCharge.kopecks,
              thresholdMonths: params.debtThresholdMonths,
              agreementInForce: inForce !== undefined,
            }),
      problem,
      agreements: views,
      agreementInForce: inForce,
      currentCase: caseOf.get(account.accountId),
    });
  }
  return out;
}
