import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, formatLocalDate, parseLocalDate } from './period.ts';
import {
  applyDebtEvent,
  type DebtCase,
  type DebtEvent,
  DebtWorkflowError,
  nextStep,
  openDebtCase,
  reconnectionFee,
  type WorkflowContext,
} from './restriction-workflow.ts';

const PARAMS = {
  restrictionNoticeDays: 20,
  suspensionAfterDays: 10,
  reconnectionDays: 2,
  reconnectionCostKopecks: 0,
  reconnectionCostCapKopecks: 500_000,
};
const FIELD: WorkflowContext = { params: PARAMS, remote: false, restrictionPossible: true };
const SMART: WorkflowContext = { ...FIELD, remote: true };

/** Applies events in order, returning every transition. */
function run(events: DebtEvent[], ctx = FIELD, start = openDebtCase('2026-05-20').case) {
  let c: DebtCase = start;
  const steps = [];
  for (const e of events) {
    const t = applyDebtEvent(c, e, ctx);
    steps.push(t);
    c = t.case;
  }
  return { case: c, steps };
}

const delivered: DebtEvent = { kind: 'notice_delivered', date: '2026-06-01', channel: 'sms' };
const due = (date: string, eligible = true): DebtEvent => ({ kind: 'due', date, eligible });
const executed = (date: string): DebtEvent => ({ kind: 'order_executed', date, by: 'crew-7' });

function expectError(c: DebtCase, e: DebtEvent, code: string, ctx = FIELD) {
  try {
    applyDebtEvent(c, e, ctx);
  } catch (err) {
    expect(err).toBeInstanceOf(DebtWorkflowError);
    expect((err as DebtWorkflowError).code).toBe(code);
    return;
  }
  throw new Error(`expected ${code}`);
}

describe('§11 E8: notice delivered 01.06 → restriction from 22.06 → suspension from 02.07', () => {
  it('follows the dates of domain.md E8 exactly', () => {
    const opened = openDebtCase('2026-05-20');
    expect(opened.case.state).toBe('notice_pending');
    expect(opened.actions).toEqual([{ kind: 'notify', message: 'debt_notice' }]);

    const r = run([
      delivered,
      due('2026-06-21'),
      due('2026-06-22'),
      executed('2026-06-22'),
      due('2026-07-01'),
      due('2026-07-02'),
      executed('2026-07-02'),
    ]);
    const [notified, before, restrictionOrdered, restricted, early, suspensionOrdered, suspended] = r.steps;
    expect(notified?.to).toBe('notified');
    expect(notified?.case).toMatchObject({
      noticeDeliveredOn: '2026-06-01',
      noticeChannel: 'sms',
      restrictFrom: '2026-06-22',
      suspendFrom: '2026-07-02',
    });
    expect(before?.changed).toBe(false);
    expect(restrictionOrdered?.to).toBe('restriction_ordered');
    expect(restrictionOrdered?.actions).toEqual([
      { kind: 'field_order', command: 'restrict', notBefore: '2026-06-22', dueBy: '2026-06-22' },
      { kind: 'notify', message: 'restriction_ordered' },
    ]);
    expect(restricted?.case).toMatchObject({
      state: 'restricted',
      restrictedOn: '2026-06-22',
      suspendFrom: '2026-07-02',
    });
    expect(early?.changed).toBe(false);
    expect(suspensionOrdered?.actions[0]).toEqual({
      kind: 'field_order',
      command: 'suspend',
      notBefore: '2026-07-02',
      dueBy: '2026-07-02',
    });
    expect(suspended?.case).toMatchObject({ state: 'suspended', suspendedOn: '2026-07-02' });
  });

  it('a smart meter gets remote commands: limit power, disconnect, reconnect', () => {
    const r = run(
      [
        delivered,
        due('2026-06-22'),
        executed('2026-06-22'),
        due('2026-07-02'),
        executed('2026-07-02'),
        { kind: 'paid_in_full', date: '2026-07-05' },
      ],
      SMART,
    );
    const commands = r.steps
      .flatMap((s) => s.actions)
      .filter((a) => a.kind === 'meter_command' || a.kind === 'field_order');
    expect(commands).toEqual([
      { kind: 'meter_command', command: 'limit_power', notBefore: '2026-06-22', dueBy: '2026-06-22' },
      { kind: 'meter_command', command: 'disconnect', notBefore: '2026-07-02', dueBy: '2026-07-02' },
      { kind: 'meter_command', command: 'reconnect', notBefore: '2026-07-05', dueBy: '2026-07-07' },
    ]);
  });

  it('suspension counts from the day restriction was actually introduced (executed late: 24.06 → 04.07)', () => {
    const r = run([delivered, due('2026-06-22'), executed('2026-06-24'), due('2026-07-03')]);
    expect(r.case).toMatchObject({ state: 'restricted', suspendFrom: '2026-07-04' });
    expect(run([due('2026-07-04')], FIELD, r.case).case.state).toBe('suspension_ordered');
  });

  it('a job running late orders restriction on the day it runs (due by that day)', () => {
    const r = run([delivered, due('2026-06-25')]);
    expect(r.steps[1]?.actions[0]).toMatchObject({
      command: 'restrict',
      notBefore: '2026-06-22',
      dueBy: '2026-06-25',
    });
  });
});

describe('every transition', () => {
  it('notice_pending: waits for delivery; cancelled when no longer eligible or paid', () => {
    expect(run([due('2026-07-30')]).case.state).toBe('notice_pending');
    expect(run([due('2026-05-21', false)]).steps[0]).toMatchObject({
      to: 'cancelled',
      actions: [{ kind: 'notify', message: 'case_cancelled' }],
    });
    expect(run([{ kind: 'paid_in_full', date: '2026-05-25' }]).case).toMatchObject({
      state: 'cancelled',
      endedOn: '2026-05-25',
    });
    expect(run([{ kind: 'agreement_signed', date: '2026-05-25' }]).case.state).toBe('cancelled');
  });

  it('notified: payment or agreement before restriction cancels the case', () => {
    expect(run([delivered, { kind: 'paid_in_full', date: '2026-06-10' }]).case.state).toBe('cancelled');
    expect(run([delivered, { kind: 'agreement_signed', date: '2026-06-10' }]).case.state).toBe('cancelled');
    expect(run([delivered, due('2026-06-10', false)]).case.state).toBe('cancelled');
  });

  it('restriction_ordered: cancelled with its order when paid before execution', () => {
    const r = run([delivered, due('2026-06-22'), { kind: 'paid_in_full', date: '2026-06-22' }]);
    expect(r.steps[2]).toMatchObject({
      from: 'restriction_ordered',
      to: 'cancelled',
      actions: [{ kind: 'cancel_open_orders' }, { kind: 'notify', message: 'case_cancelled' }],
    });
  });

  it('restriction impossible (no technical means): suspension at once', () => {
    const noMeans = { ...FIELD, restrictionPossible: false };
    const r = run([delivered, due('2026-06-22')], noMeans);
    expect(r.case).toMatchObject({ state: 'suspension_ordered', suspendFrom: '2026-06-22' });
    expect(r.steps[1]?.actions[0]).toEqual({
      kind: 'field_order',
      command: 'suspend',
      notBefore: '2026-06-22',
      dueBy: '2026-06-22',
    });
    expect(run([executed('2026-06-22')], noMeans, r.case).case.state).toBe('suspended');
    // paid before the suspension was executed: nothing to reconnect
    expect(run([{ kind: 'paid_in_full', date: '2026-06-23' }], noMeans, r.case).case.state).toBe('cancelled');
  });

  it('the crew reports restriction impossible: the restrict order is replaced by a suspend order', () => {
    const r = run([
      delivered,
      due('2026-06-22'),
      { kind: 'restriction_impossible', date: '2026-06-23', by: 'crew-7' },
    ]);
    expect(r.steps[2]).toMatchObject({
      to: 'suspension_ordered',
      actions: [
        { kind: 'cancel_open_orders' },
        { kind: 'field_order', command: 'suspend', notBefore: '2026-06-22', dueBy: '2026-06-23' },
        { kind: 'notify', message: 'suspension_ordered' },
      ],
    });
  });

  it('restricted: paid in full → reconnection within 2 days; executed → closed', () => {
    const r = run([
      delivered,
      due('2026-06-22'),
      executed('2026-06-22'),
      { kind: 'paid_in_full', date: '2026-06-25' },
    ]);
    expect(r.steps[3]).toMatchObject({
      to: 'reconnection_ordered',
      case: { reconnectBy: '2026-06-27' },
      actions: [
        { kind: 'field_order', command: 'reconnect', notBefore: '2026-06-25', dueBy: '2026-06-27' },
        { kind: 'notify', message: 'reconnection_ordered' },
      ],
    });
    const closed = run([executed('2026-06-26')], FIELD, r.case);
    expect(closed.case).toMatchObject({ state: 'closed', endedOn: '2026-06-26' });
    expect(closed.steps[0]?.actions).toEqual([{ kind: 'notify', message: 'supply_restored' }]);
  });

  it('restricted: held (no suspension) while not eligible, e.g. an agreement is in force', () => {
    const r = run([delivered, due('2026-06-22'), executed('2026-06-22'), due('2026-07-10', false)]);
    expect(r.case.state).toBe('restricted');
    expect(r.steps[3]?.changed).toBe(false);
  });

  it('suspension_ordered after restriction: agreement → reconnection, the suspend order cancelled', () => {
    const r = run([
      delivered,
      due('2026-06-22'),
      executed('2026-06-22'),
      due('2026-07-02'),
      { kind: 'agreement_signed', date: '2026-07-02' },
    ]);
    expect(r.steps[4]?.actions.map((a) => a.kind)).toEqual(['cancel_open_orders', 'field_order', 'notify']);
    expect(r.case).toMatchObject({ state: 'reconnection_ordered', reconnectBy: '2026-07-04' });
  });

  it('suspended: agreement → reconnection; costs charged on reconnection, capped at 5,000 RUB', () => {
    const costly = { ...FIELD, params: { ...PARAMS, reconnectionCostKopecks: 700_000 } };
    const r = run(
      [
        delivered,
        due('2026-06-22'),
        executed('2026-06-22'),
        due('2026-07-02'),
        executed('2026-07-03'),
        { kind: 'agreement_signed', date: '2026-07-10' },
        executed('2026-07-11'),
      ],
      costly,
    );
    expect(r.steps[4]?.case.suspendedOn).toBe('2026-07-03');
    expect(r.steps[6]?.actions).toEqual([
      { kind: 'charge_fee', kopecks: 500_000, reason: 'reconnection' },
      { kind: 'notify', message: 'supply_restored' },
    ]);
    expect(reconnectionFee({ ...PARAMS, reconnectionCostKopecks: 120_000 })).toBe(120_000);
  });
});

describe('illegal transitions are typed errors', () => {
  const notified = run([delivered]).case;
  const restrictionOrdered = run([due('2026-06-22')], FIELD, notified).case;
  const reconnecting = run(
    [executed('2026-06-22'), { kind: 'paid_in_full', date: '2026-06-23' }],
    FIELD,
    restrictionOrdered,
  ).case;

  it('notice delivered twice, or before the case opened', () => {
    expectError(notified, delivered, 'NOTICE_ALREADY_DELIVERED');
    expectError(openDebtCase('2026-06-05').case, delivered, 'NOTICE_BEFORE_OPENING');
  });
  it('an order executed when none is open, or before its first day', () => {
    expectError(notified, executed('2026-06-30'), 'ILLEGAL_TRANSITION');
    expectError(restrictionOrdered, executed('2026-06-21'), 'EXECUTED_TOO_EARLY');
    expectError(
      notified,
      { kind: 'restriction_impossible', date: '2026-06-22', by: 'x' },
      'ILLEGAL_TRANSITION',
    );
  });
  it('payment while reconnection is already ordered; anything on an ended case', () => {
    expectError(reconnecting, { kind: 'paid_in_full', date: '2026-06-24' }, 'ALREADY_RECONNECTING');
    const closed = run([executed('2026-06-24')], FIELD, reconnecting).case;
    expectError(closed, due('2026-06-25'), 'CASE_ENDED');
    expectError(run([{ kind: 'paid_in_full', date: '2026-06-01' }]).case, delivered, 'CASE_ENDED');
  });
  it('next step and its day for every state', () => {
    expect(nextStep(openDebtCase('2026-05-20').case)).toEqual({ step: 'deliver_notice', on: null });
    expect(nextStep(notified)).toEqual({ step: 'restrict', on: '2026-06-22' });
    expect(nextStep(restrictionOrdered)).toEqual({ step: 'execute_restriction', on: '2026-06-22' });
    expect(nextStep(reconnecting)).toEqual({ step: 'reconnect', on: '2026-06-25' });
  });
});

/** fast-check model: random event sequences with random dates and a model of the agreement. */
describe('property: no restriction without a notice delivered noticeDays earlier, none under an agreement', () => {
  const plus = (d: string, n: number) => formatLocalDate(addDays(parseLocalDate(d), n));
  const step = fc.record({
    // Weighted so that many sequences get far (restriction and beyond) before a payment ends them.
    kind: fc.oneof(
      { arbitrary: fc.constantFrom('notice_delivered', 'due', 'order_executed'), weight: 12 },
      {
        arbitrary: fc.constantFrom(
          'restriction_impossible',
          'paid_in_full',
          'agreement_signed',
          'agreement_broken',
        ),
        weight: 1,
      },
    ),
    // Small steps often, so that events land exactly on the boundary days.
    gap: fc.oneof(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 15 })),
    back: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 40 })),
    eligible: fc.oneof(
      { arbitrary: fc.constant(true), weight: 9 },
      { arbitrary: fc.constant(false), weight: 1 },
    ),
    channel: fc.constantFrom('bill', 'sms', 'email', 'mail', 'lkk' as const),
  });

  it('holds for 2,000 random sequences', () => {
    const reached = new Set<string>();
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 60 }),
        fc.boolean(),
        fc.boolean(),
        fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 30 })),
        (steps, remote, restrictionPossible, noticeDays) => {
          const ctx: WorkflowContext = {
            params: { ...PARAMS, restrictionNoticeDays: noticeDays },
            remote,
            restrictionPossible,
          };
          let c = openDebtCase('2026-01-10').case;
          let today = '2026-01-10';
          let agreementInForce = false;
          let agreementSince: string | null = null;
          for (const s of steps) {
            today = plus(today, s.gap);
            if (s.kind === 'agreement_broken') {
              agreementInForce = false;
              continue;
            }
            // Reported dates may lie in the past (a delivery receipt, a crew's report).
            const date =
              s.kind === 'notice_delivered' || s.kind === 'order_executed' ? plus(today, -s.back) : today;
            const e: DebtEvent =
              s.kind === 'notice_delivered'
                ? { kind: 'notice_delivered', date, channel: s.channel }
                : s.kind === 'due'
                  ? { kind: 'due', date, eligible: s.eligible && !agreementInForce }
                  : s.kind === 'order_executed' || s.kind === 'restriction_impossible'
                    ? { kind: s.kind, date, by: 'crew' }
                    : { kind: s.kind, date };
            if (s.kind === 'agreement_signed') {
              agreementInForce = true;
              agreementSince = date;
            }
            let t: ReturnType<typeof applyDebtEvent>;
            try {
              t = applyDebtEvent(c, e, ctx);
            } catch (err) {
              expect(err).toBeInstanceOf(DebtWorkflowError);
              continue;
            }
            if (t.changed && (t.to === 'restricted' || t.to === 'suspended')) {
              reached.add(t.to);
              expect(t.case.noticeDeliveredOn).not.toBeNull();
              expect(e.date >= plus(t.case.noticeDeliveredOn as string, noticeDays)).toBe(true);
              expect(e.date > plus(t.case.noticeDeliveredOn as string, noticeDays)).toBe(true);
              // Never while an agreement signed in this case is in force.
              expect(agreementInForce && agreementSince !== null && agreementSince <= e.date).toBe(false);
            }
            if (t.changed && (t.to === 'restriction_ordered' || t.to === 'suspension_ordered')) {
              expect(agreementInForce).toBe(false);
            }
            c = t.case;
          }
        },
      ),
      { numRuns: 2000 },
    );
    // The generator is not vacuous: a good share of the sequences reach restriction or suspension.
    expect([...reached].sort()).toEqual(['restricted', 'suspended']);
  });
});
