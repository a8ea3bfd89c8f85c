import { agreementState, type Instalment } from '../domain/debt-eligibility.ts';
import { parseLocalDate } from '../domain/period.ts';
import { DebtWorkflowError } from '../domain/restriction-workflow.ts';
import { loadParameterValues } from '../registry/index.ts';
import { lockCurrentCase } from './debt.repository.ts';
import { agreementRows, insertAgreement, lockAccountForDebt } from './debt-agreement.repository.ts';
import { DebtErrors } from './debt-messages.ts';
import {
  accountByNumber,
  type DebtDeps,
  recordTransition,
  type TransitionRecord,
  todayIn,
} from './debt-workflow.service.ts';

export interface AgreementInput {
  account: string;
  totalKopecks: number;
  instalments: Instalment[];
  /** Default: today in the account's region. */
  signedOn?: string | undefined;
  /** The agreement's document number (idempotency key). Default: `AGR-<account>-<signedOn>`. */
  document?: string | undefined;
  by: string;
}

function validate(input: AgreementInput, signedOn: string): void {
  const bad = (d: string): never => {
    throw DebtErrors.badAgreement(d);
  };
  if (!Number.isSafeInteger(input.totalKopecks) || input.totalKopecks <= 0)
    bad('сумма должна быть больше нуля');
  if (input.instalments.length === 0 || input.instalments.length > 120) bad('от 1 до 120 платежей');
  let sum = 0;
  let previous = signedOn;
  for (const i of input.instalments) {
    try {
      parseLocalDate(i.dueDate);
    } catch {
      bad(`дата платежа «${i.dueDate}»`);
    }
    if (!Number.isSafeInteger(i.amountKopecks) || i.amountKopecks <= 0) bad('каждый платёж больше нуля');
    if (i.dueDate < previous) bad('даты платежей — не раньше подписания и по порядку');
    previous = i.dueDate;
    sum += i.amountKopecks;
  }
  if (sum !== input.totalKopecks) bad(`платежи в сумме ${sum} коп., а не ${input.totalKopecks}`);
}

/**
 * §11 a repayment agreement is signed: recorded with its instalments, and the account's current case
 * moves on at once in the same transaction — cancelled before restriction, reconnection ordered (within
 * `reconnection_days`) after. One agreement in force per account; the same document twice records once.
 */
export async function signAgreement(
  deps: DebtDeps,
  input: AgreementInput,
): Promise<{ agreementId: number; document: string; created: boolean; transition: TransitionRecord | null }> {
  const account = await accountByNumber(deps.db, input.account);
  const signedOn = input.signedOn ?? (await todayIn(deps, account.regionCode));
  try {
    parseLocalDate(signedOn);
  } catch {
    throw DebtErrors.badInput(`дата подписания «${signedOn}»`);
  }
  validate(input, signedOn);
  const document = input.document ?? `AGR-${account.number}-${signedOn}`;
  const grace = Number(
    (await loadParameterValues(deps.db, account.regionCode, signedOn)).get('agreement_grace_days') ?? 0,
  );
  try {
    return await deps.db.transaction().execute(async (tx) => {
      await lockAccountForDebt(tx, account.accountId);
      const existing = await agreementRows(tx, [account.accountId], signedOn);
      const same = existing.find((a) => a.document === document);
      if (same) {
        const equal =
          same.totalKopecks === input.totalKopecks &&
          same.signedOn === signedOn &&
          JSON.stringify((same.instalments ?? []).map((i) => [i.dueDate, i.amountKopecks])) ===
            JSON.stringify(input.instalments.map((i) => [i.dueDate, i.amountKopecks]));
        if (!equal) throw DebtErrors.agreementConflict(document);
        return { agreementId: same.id, document, created: false, transition: null };
      }
      const inForce = existing.find(
        (a) =>
          agreementState({ ...a, instalments: a.instalments ?? [] }, signedOn, grace).status === 'in_force',
      );
      if (inForce) throw DebtErrors.agreementInForce(account.number, inForce.document);
      const { id, created } = await insertAgreement(tx, {
        accountId: account.accountId,
        document,
        totalKopecks: input.totalKopecks,
        signedOn,
        signedBy: input.by,
        instalments: input.instalments,
      });
      if (!created) throw DebtErrors.agreementConflict(document);
      const row = await lockCurrentCase(tx, account.accountId);
      let transition: TransitionRecord | null = null;
      if (row && row.state !== 'reconnection_ordered') {
        const date = [signedOn, row.openedOn].sort()[1]!; // the later day ('YYYY-MM-DD' sorts as dates)
        transition = await recordTransition(tx, row, account, { kind: 'agreement_signed', date }, input.by, {
          agreementId: id,
          document,
        });
      }
      return { agreementId: id, document, created: true, transition };
    });
  } catch (e) {
    if (e instanceof DebtWorkflowError) throw DebtErrors.workflow(e, account.number);
    throw e;
  }
}
