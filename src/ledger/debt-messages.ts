import { formatMoney } from '../domain/money.ts';
import type {
  DebtCaseState,
  DebtWorkflowError,
  NextStep,
  NotifyMessage,
} from '../domain/restriction-workflow.ts';
import { LedgerError } from './ledger-errors.ts';

/** What operators and subscribers are told about §11 debt cases, in Russian and English. */

export const STATE_NAMES: Record<DebtCaseState, { ru: string; en: string }> = {
  notice_pending: { ru: 'предупреждение не вручено', en: 'notice not yet delivered' },
  notified: { ru: 'предупреждение вручено', en: 'notice delivered' },
  restriction_ordered: { ru: 'ограничение назначено', en: 'restriction ordered' },
  restricted: { ru: 'ограничено', en: 'restricted' },
  suspension_ordered: { ru: 'приостановление назначено', en: 'suspension ordered' },
  suspended: { ru: 'приостановлено', en: 'suspended' },
  reconnection_ordered: { ru: 'возобновление назначено', en: 'reconnection ordered' },
  closed: { ru: 'закрыто (подача возобновлена)', en: 'closed (supply restored)' },
  cancelled: { ru: 'отменено', en: 'cancelled' },
};

export const NEXT_STEP_NAMES: Record<NextStep | 'open_case', { ru: string; en: string }> = {
  open_case: { ru: 'открыть дело и направить предупреждение', en: 'open a case and send the notice' },
  deliver_notice: { ru: 'вручить предупреждение', en: 'deliver the notice' },
  restrict: { ru: 'ограничение с', en: 'restriction from' },
  execute_restriction: { ru: 'исполнить ограничение', en: 'execute the restriction' },
  suspend: { ru: 'приостановление с', en: 'suspension from' },
  execute_suspension: { ru: 'исполнить приостановление', en: 'execute the suspension' },
  await_payment: { ru: 'ожидать оплаты или соглашения', en: 'await payment or an agreement' },
  reconnect: { ru: 'возобновить подачу до', en: 'reconnect by' },
  none: { ru: '—', en: '—' },
};

/**
 * The text of a notice to the subscriber (354 p.119 "а": the debt, the deadline, what follows). Goes into
 * the next bill (§8 "debt notice text") and the personal account; the delivery date is recorded.
 */
export function noticeText(
  message: NotifyMessage,
  p: { account: string; overdueKopecks?: number; noticeDays?: number; date?: string | null },
): { ru: string; en: string } {
  switch (message) {
    case 'debt_notice':
      return {
        ru: `Предупреждение: задолженность по л/с ${p.account} за электроэнергию ${formatMoney(p.overdueKopecks ?? 0)}. Если она не будет погашена в течение ${p.noticeDays ?? 20} дней со дня получения предупреждения, подача электроэнергии будет ограничена, а затем приостановлена (Постановление № 354, п. 117–119). Погасить долг или заключить соглашение о рассрочке можно в личном кабинете или в офисе.`,
        en: `Notice: account ${p.account} owes ${formatMoney(p.overdueKopecks ?? 0, 'en')} for electricity. Unless it is paid within ${p.noticeDays ?? 20} days of receiving this notice, supply will be restricted and then suspended (Decree 354 p.117–119). Pay or sign a repayment agreement in the personal account or at an office.`,
      };
    case 'restriction_ordered':
      return {
        ru: `По л/с ${p.account} назначено ограничение подачи электроэнергии с ${p.date ?? ''}.`,
        en: `Restriction of supply to account ${p.account} is ordered from ${p.date ?? ''}.`,
      };
    case 'restricted':
      return {
        ru: `Подача электроэнергии по л/с ${p.account} ограничена.`,
        en: `Supply to account ${p.account} is restricted.`,
      };
    case 'suspension_ordered':
      return {
        ru: `По л/с ${p.account} назначено приостановление подачи электроэнергии с ${p.date ?? ''}.`,
        en: `Suspension of supply to account ${p.account} is ordered from ${p.date ?? ''}.`,
      };
    case 'suspended':
      return {
        ru: `Подача электроэнергии по л/с ${p.account} приостановлена.`,
        en: `Supply to account ${p.account} is suspended.`,
      };
    case 'reconnection_ordered':
      return {
        ru: `Задолженность по л/с ${p.account} погашена или заключено соглашение: подача будет возобновлена до ${p.date ?? ''}.`,
        en: `The debt of account ${p.account} is paid or an agreement is signed: supply will be restored by ${p.date ?? ''}.`,
      };
    case 'supply_restored':
      return {
        ru: `Подача электроэнергии по л/с ${p.account} возобновлена.`,
        en: `Supply to account ${p.account} is restored.`,
      };
    case 'case_cancelled':
      return {
        ru: `Ограничение подачи электроэнергии по л/с ${p.account} отменено.`,
        en: `Restriction of supply to account ${p.account} is cancelled.`,
      };
  }
}

export const DebtErrors = {
  caseNotFound(account: string): LedgerError {
    return new LedgerError(
      'DEBT_CASE_NOT_FOUND',
      `По л/с ${account} нет открытого дела о задолженности. Список: abonent debt list.`,
      `Account ${account} has no open debt case. See abonent debt list.`,
      404,
    );
  },
  orderNotFound(id: number): LedgerError {
    return new LedgerError(
      'FIELD_ORDER_NOT_FOUND',
      `Наряд ${id} не найден.`,
      `Field order ${id} not found.`,
      404,
    );
  },
  orderNotOpen(id: number, status: string): LedgerError {
    return new LedgerError(
      'FIELD_ORDER_NOT_OPEN',
      `Наряд ${id} уже не открыт (${status}): отметить исполнение нельзя.`,
      `Field order ${id} is not open (${status}).`,
      409,
    );
  },
  orderTooEarly(id: number, notBefore: string): LedgerError {
    return new LedgerError(
      'DEBT_EXECUTED_TOO_EARLY',
      `Наряд ${id} нельзя исполнить раньше ${notBefore}.`,
      `Field order ${id} cannot be executed before ${notBefore}.`,
      409,
    );
  },
  commandNotFound(id: number): LedgerError {
    return new LedgerError(
      'METER_COMMAND_NOT_FOUND',
      `Запрос команды ${id} не найден.`,
      `Command request ${id} not found.`,
      404,
    );
  },
  impossibleOnlyForRestriction(id: number): LedgerError {
    return new LedgerError(
      'IMPOSSIBLE_ONLY_FOR_RESTRICTION',
      `Наряд ${id}: «невозможно» отмечается только для ограничения — тогда назначается приостановление.`,
      `Order ${id}: only a restriction can be reported impossible (suspension is then ordered).`,
      422,
    );
  },
  agreementInForce(account: string, document: string): LedgerError {
    return new LedgerError(
      'AGREEMENT_IN_FORCE',
      `По л/с ${account} уже действует соглашение ${document}.`,
      `Account ${account} already has agreement ${document} in force.`,
      409,
    );
  },
  agreementConflict(document: string): LedgerError {
    return new LedgerError(
      'AGREEMENT_CONFLICT',
      `Соглашение ${document} уже записано с другими условиями.`,
      `Agreement ${document} is already recorded with other terms.`,
      409,
    );
  },
  badAgreement(detail: string): LedgerError {
    return new LedgerError(
      'AGREEMENT_INVALID',
      `Условия соглашения неверны: ${detail}.`,
      `The agreement's terms are invalid: ${detail}.`,
      400,
    );
  },
  badInput(detail: string): LedgerError {
    return new LedgerError(
      'VALIDATION_FAILED',
      `Неверные данные: ${detail}.`,
      `Invalid input: ${detail}.`,
      400,
    );
  },
  workflow(e: DebtWorkflowError, account: string): LedgerError {
    const ru: Record<string, string> = {
      CASE_ENDED: 'дело уже закрыто',
      ILLEGAL_TRANSITION: 'это действие невозможно в текущем состоянии дела',
      NOTICE_ALREADY_DELIVERED: 'вручение предупреждения уже отмечено',
      NOTICE_BEFORE_OPENING: 'дата вручения раньше открытия дела',
      EXECUTED_TOO_EARLY: 'дата исполнения раньше допустимой',
      ALREADY_RECONNECTING: 'возобновление уже назначено',
    };
    return new LedgerError(
      `DEBT_${e.code}`,
      `Л/с ${account}: ${ru[e.code] ?? e.code} (состояние «${STATE_NAMES[e.state].ru}»). ${e.message}.`,
      `Account ${account}: ${e.message} (state ${e.state}).`,
      409,
    );
  },
};
