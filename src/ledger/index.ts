export type { MoneyParameters } from '../domain/money-parameters.ts';
export type { PenaltyRules } from '../domain/penalties.ts';
export { billMoneyFacts, loadPenaltyRules } from './bill-money.service.ts';
export { postIssuedBills } from './bill-posting.repository.ts';
export { debtRoutes } from './debt.routes.ts';
export { runDebtDay } from './debt.service.ts';
export { signAgreement } from './debt-agreement.service.ts';
export { completeFieldOrder, meterCommandExecuted } from './debt-orders.service.ts';
export { accountDebt, debtList, listDebtCases, pendingDebtNotices } from './debt-read.service.ts';
export { recordNoticeDelivered } from './debt-workflow.service.ts';
export { payDemoBills } from './demo-payments.service.ts';
export { ledgerRoutes } from './ledger.routes.ts';
export { checkLedger, type LedgerCheckProblem, type LedgerCheckResult } from './ledger-check.service.ts';
export { LedgerError } from './ledger-errors.ts';
export {
  adjustPenalty,
  postCharge,
  postOpeningBalance,
  refundAdvance,
  settlePayments,
  transferBetweenPrincipals,
  writeOffDebt,
} from './ledger-ops.service.ts';
export { runMoneyDay, scheduleMoneyDays } from './money-day.service.ts';
export { loadMoneyParameters } from './money-parameters.repository.ts';
export { type AccountDebt, accountOpenItems } from './open-items.service.ts';
export { checkPayment, type LedgerDeps, submitPayment, submitPayments } from './payment.service.ts';
export type {
  PaymentAccepted,
  PaymentAllocation,
  PaymentCheck,
  PaymentRefusalCode,
  PaymentRefused,
  PaymentResult,
  PaymentSubmission,
} from './payment-types.ts';
export { type AccountStatement, accountStatement } from './statement.service.ts';
