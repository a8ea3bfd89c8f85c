/**
 * The restriction workflow of domain.md §11 (Decree 354 p.117–122) as a pure state machine: a debt case
 * goes from the notice to restriction, suspension and reconnection, each step triggered by an event and
 * answered with the actions to take (field orders, smart-meter command requests, notices, fees). No I/O,
 * no clock: every date is a parameter; the service stores the case and performs the actions.
 *
 *   notice_pending ─notice_delivered→ notified ─due ≥ restrictFrom→ restriction_ordered ─executed→ restricted
 *   restricted ─due ≥ suspendFrom→ suspension_ordered ─executed→ suspended
 *   paid in full / agreement: before restriction → cancelled; after → reconnection_ordered ─executed→ closed
 *   restriction impossible (no technical means) → suspension_ordered at once (354 p.119 "а")
 */
import { addDays, formatLocalDate, parseLocalDate } from './period.ts';

export const DEBT_CASE_STATES = [
  'notice_pending',
  'notified',
  'restriction_ordered',
  'restricted',
  'suspension_ordered',
  'suspended',
  'reconnection_ordered',
  'closed',
  'cancelled',
] as const;
export type DebtCaseState = (typeof DEBT_CASE_STATES)[number];

/** §11 how the notice reached the subscriber: the bill, SMS, e-mail, registered mail, personal account. */
export const NOTICE_CHANNELS = ['bill', 'sms', 'email', 'mail', 'lkk'] as const;
export type NoticeChannel = (typeof NOTICE_CHANNELS)[number];

export function isDebtCaseState(s: string): s is DebtCaseState {
  return (DEBT_CASE_STATES as readonly string[]).includes(s);
}
export function isNoticeChannel(s: string): s is NoticeChannel {
  return (NOTICE_CHANNELS as readonly string[]).includes(s);
}

/** The effective-dated §11 parameters in force on the event's date. */
export interface WorkflowParameters {
  restrictionNoticeDays: number;
  suspensionAfterDays: number;
  reconnectionDays: number;
  reconnectionCostKopecks: number;
  reconnectionCostCapKopecks: number;
}

export interface WorkflowContext {
  params: WorkflowParameters;
  /** The account has a smart meter: steps are remote commands (§11, §15), not field-crew orders. */
  remote: boolean;
  /** Restriction is technically possible; if not, suspension comes at once (354 p.119 "а"). */
  restrictionPossible: boolean;
}

export interface DebtCase {
  state: DebtCaseState;
  openedOn: string;
  noticeDeliveredOn: string | null;
  noticeChannel: NoticeChannel | null;
  /** The first day restriction may start: delivery + noticeDays + 1 (E8: 01.06 → 22.06). */
  restrictFrom: string | null;
  /** The first day suspension may start: restriction + suspensionDays (planned at delivery, fixed at execution). */
  suspendFrom: string | null;
  restrictedOn: string | null;
  suspendedOn: string | null;
  reconnectBy: string | null;
  /** The day the case closed or was cancelled. */
  endedOn: string | null;
}

export type FieldCommand = 'restrict' | 'suspend' | 'reconnect';
export type MeterCommand = 'limit_power' | 'disconnect' | 'reconnect';
export const METER_COMMAND_OF: Record<FieldCommand, MeterCommand> = {
  restrict: 'limit_power',
  suspend: 'disconnect',
  reconnect: 'reconnect',
};

export type NotifyMessage =
  | 'debt_notice'
  | 'restriction_ordered'
  | 'restricted'
  | 'suspension_ordered'
  | 'suspended'
  | 'reconnection_ordered'
  | 'supply_restored'
  | 'case_cancelled';

export type DebtAction =
  | { kind: 'field_order'; command: FieldCommand; notBefore: string; dueBy: string }
  | { kind: 'meter_command'; command: MeterCommand; notBefore: string; dueBy: string }
  | { kind: 'cancel_open_orders' }
  | { kind: 'charge_fee'; kopecks: number; reason: 'reconnection' }
  | { kind: 'notify'; message: NotifyMessage };

export type DebtEvent =
  | { kind: 'notice_delivered'; date: string; channel: NoticeChannel }
  /** Time passed: the daily job's check, with the account's eligibility on that date. */
  | { kind: 'due'; date: string; eligible: boolean }
  | { kind: 'order_executed'; date: string; by: string }
  /** The crew found restriction technically impossible (354 p.119 "а"): suspend instead. */
  | { kind: 'restriction_impossible'; date: string; by: string }
  | { kind: 'paid_in_full'; date: string }
  | { kind: 'agreement_signed'; date: string };

export type DebtWorkflowErrorCode =
  | 'CASE_ENDED'
  | 'ILLEGAL_TRANSITION'
  | 'NOTICE_ALREADY_DELIVERED'
  | 'NOTICE_BEFORE_OPENING'
  | 'EXECUTED_TOO_EARLY'
  | 'ALREADY_RECONNECTING';

/** An event the case cannot take in its state: nothing changes. */
export class DebtWorkflowError extends Error {
  constructor(
    readonly code: DebtWorkflowErrorCode,
    readonly state: DebtCaseState,
    readonly event: DebtEvent['kind'],
    message: string,
  ) {
    super(message);
    this.name = 'DebtWorkflowError';
  }
}

export interface Transition {
  from: DebtCaseState;
  to: DebtCaseState;
  /** False when the event changed nothing (e.g. `due` before the date came): record nothing. */
  changed: boolean;
  case: DebtCase;
  actions: DebtAction[];
}

const plusDays = (date: string, n: number): string => formatLocalDate(addDays(parseLocalDate(date), n));

/** §11 restriction may start the day after the notice period: delivery + noticeDays + 1. */
export function restrictionStart(deliveredOn: string, noticeDays: number): string {
  return plusDays(deliveredOn, noticeDays + 1);
}

/** §11 suspension may start `suspensionDays` after restriction. */
export function suspensionStart(restrictedOn: string, suspensionDays: number): string {
  return plusDays(restrictedOn, suspensionDays);
}

/** §11 costs of reconnection: the parameter, capped (5,000 RUB). */
export function reconnectionFee(p: WorkflowParameters): number {
  return Math.max(0, Math.min(p.reconnectionCostKopecks, p.reconnectionCostCapKopecks));
}

/** A new case for an eligible account: the notice goes into the next bill and the personal account. */
export function openDebtCase(date: string): { case: DebtCase; actions: DebtAction[] } {
  parseLocalDate(date);
  return {
    case: {
      state: 'notice_pending',
      openedOn: date,
      noticeDeliveredOn: null,
      noticeChannel: null,
      restrictFrom: null,
      suspendFrom: null,
      restrictedOn: null,
      suspendedOn: null,
      reconnectBy: null,
      endedOn: null,
    },
    actions: [{ kind: 'notify', message: 'debt_notice' }],
  };
}

function order(ctx: WorkflowContext, command: FieldCommand, notBefore: string, dueBy: string): DebtAction {
  return ctx.remote
    ? { kind: 'meter_command', command: METER_COMMAND_OF[command], notBefore, dueBy }
    : { kind: 'field_order', command, notBefore, dueBy };
}

function fail(c: DebtCase, e: DebtEvent, code: DebtWorkflowErrorCode, message: string): never {
  throw new DebtWorkflowError(code, c.state, e.kind, message);
}

const ENDED: readonly DebtCaseState[] = ['closed', 'cancelled'];

/** Whether supply has been physically limited or cut in this case (reconnection is then needed). */
export function supplyAffected(c: DebtCase): boolean {
  return c.restrictedOn !== null || c.suspendedOn !== null;
}

/**
 * Applies one event. Returns the new case and the actions; throws DebtWorkflowError for an event the
 * state cannot take (the caller changes nothing).
 */
export function applyDebtEvent(c: DebtCase, e: DebtEvent, ctx: WorkflowContext): Transition {
  parseLocalDate(e.date);
  if (ENDED.includes(c.state)) fail(c, e, 'CASE_ENDED', `the case is ${c.state}`);
  const done = (to: DebtCaseState, next: Partial<DebtCase>, actions: DebtAction[]): Transition => ({
    from: c.state,
    to,
    changed: true,
    case: { ...c, ...next, state: to },
    actions,
  });
  const same: Transition = { from: c.state, to: c.state, changed: false, case: c, actions: [] };
  const hasOpenOrder = c.state === 'restriction_ordered' || c.state === 'suspension_ordered';

  switch (e.kind) {
    case 'notice_delivered': {
      if (c.state !== 'notice_pending')
        fail(c, e, 'NOTICE_ALREADY_DELIVERED', 'the notice delivery is recorded');
      if (e.date < c.openedOn)
        fail(c, e, 'NOTICE_BEFORE_OPENING', `delivered ${e.date} before ${c.openedOn}`);
      const restrictFrom = restrictionStart(e.date, ctx.params.restrictionNoticeDays);
      return done(
        'notified',
        {
          noticeDeliveredOn: e.date,
          noticeChannel: e.channel,
          restrictFrom,
          suspendFrom: suspensionStart(restrictFrom, ctx.params.suspensionAfterDays),
        },
        [],
      );
    }
    case 'due': {
      const beforeRestriction = !supplyAffected(c) && c.state !== 'reconnection_ordered';
      if (!e.eligible && beforeRestriction) {
        return done('cancelled', { endedOn: e.date }, [
          ...(hasOpenOrder ? [{ kind: 'cancel_open_orders' } as const] : []),
          { kind: 'notify', message: 'case_cancelled' },
        ]);
      }
      if (c.state === 'notified' && c.restrictFrom !== null && e.date >= c.restrictFrom) {
        if (ctx.restrictionPossible) {
          return done('restriction_ordered', {}, [
            order(ctx, 'restrict', c.restrictFrom, e.date),
            { kind: 'notify', message: 'restriction_ordered' },
          ]);
        }
        return done('suspension_ordered', { suspendFrom: c.restrictFrom }, [
          order(ctx, 'suspend', c.restrictFrom, e.date),
          { kind: 'notify', message: 'suspension_ordered' },
        ]);
      }
      // Suspension only while the account is still eligible: a debt brought below the threshold, or an
      // agreement in force, holds the case at restriction until paid in full or the agreement is signed.
      if (c.state === 'restricted' && e.eligible && c.suspendFrom !== null && e.date >= c.suspendFrom) {
        return done('suspension_ordered', {}, [
          order(ctx, 'suspend', c.suspendFrom, e.date),
          { kind: 'notify', message: 'suspension_ordered' },
        ]);
      }
      return same;
    }
    case 'order_executed': {
      if (c.state === 'restriction_ordered') {
        if (c.restrictFrom === null || e.date < c.restrictFrom)
          fail(c, e, 'EXECUTED_TOO_EARLY', `restriction may start on ${c.restrictFrom}, not ${e.date}`);
        return done(
          'restricted',
          { restrictedOn: e.date, suspendFrom: suspensionStart(e.date, ctx.params.suspensionAfterDays) },
          [{ kind: 'notify', message: 'restricted' }],
        );
      }
      if (c.state === 'suspension_ordered') {
        if (c.suspendFrom === null || e.date < c.suspendFrom)
          fail(c, e, 'EXECUTED_TOO_EARLY', `suspension may start on ${c.suspendFrom}, not ${e.date}`);
        return done('suspended', { suspendedOn: e.date }, [{ kind: 'notify', message: 'suspended' }]);
      }
      if (c.state === 'reconnection_ordered') {
        const fee = reconnectionFee(ctx.params);
        return done('closed', { endedOn: e.date }, [
          ...(fee > 0 ? [{ kind: 'charge_fee', kopecks: fee, reason: 'reconnection' } as const] : []),
          { kind: 'notify', message: 'supply_restored' },
        ]);
      }
      return fail(c, e, 'ILLEGAL_TRANSITION', `no order is open in state ${c.state}`);
    }
    case 'restriction_impossible': {
      if (c.state !== 'restriction_ordered' || c.restrictFrom === null)
        fail(c, e, 'ILLEGAL_TRANSITION', `no restriction is ordered in state ${c.state}`);
      return done('suspension_ordered', { suspendFrom: c.restrictFrom }, [
        { kind: 'cancel_open_orders' },
        order(ctx, 'suspend', c.restrictFrom, e.date),
        { kind: 'notify', message: 'suspension_ordered' },
      ]);
    }
    case 'paid_in_full':
    case 'agreement_signed': {
      if (c.state === 'reconnection_ordered')
        fail(c, e, 'ALREADY_RECONNECTING', `reconnection is ordered by ${c.reconnectBy}`);
      if (!supplyAffected(c)) {
        return done('cancelled', { endedOn: e.date }, [
          ...(hasOpenOrder ? [{ kind: 'cancel_open_orders' } as const] : []),
          { kind: 'notify', message: 'case_cancelled' },
        ]);
      }
      // §11 reconnection within `reconnectionDays` of full payment or the agreement.
      const reconnectBy = plusDays(e.date, ctx.params.reconnectionDays);
      return done('reconnection_ordered', { reconnectBy }, [
        ...(hasOpenOrder ? [{ kind: 'cancel_open_orders' } as const] : []),
        order(ctx, 'reconnect', e.date, reconnectBy),
        { kind: 'notify', message: 'reconnection_ordered' },
      ]);
    }
  }
}

export type NextStep =
  | 'deliver_notice'
  | 'restrict'
  | 'execute_restriction'
  | 'suspend'
  | 'execute_suspension'
  | 'await_payment'
  | 'reconnect'
  | 'none';

/** What happens next in a case and from which day (for lists and the personal account). */
export function nextStep(c: DebtCase): { step: NextStep; on: string | null } {
  switch (c.state) {
    case 'notice_pending':
      return { step: 'deliver_notice', on: null };
    case 'notified':
      return { step: 'restrict', on: c.restrictFrom };
    case 'restriction_ordered':
      return { step: 'execute_restriction', on: c.restrictFrom };
    case 'restricted':
      return { step: 'suspend', on: c.suspendFrom };
    case 'suspension_ordered':
      return { step: 'execute_suspension', on: c.suspendFrom };
    case 'suspended':
      return { step: 'await_payment', on: null };
    case 'reconnection_ordered':
      return { step: 'reconnect', on: c.reconnectBy };
    default:
      return { step: 'none', on: null };
  }
}
