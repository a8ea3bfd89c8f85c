import { accountRows, lockCase, setRestrictionPossible } from './debt.repository.ts';
import { DebtErrors } from './debt-messages.ts';
import {
  acknowledgeMeterCommand,
  caseAccountId,
  findFieldOrder,
  findMeterCommand,
  finishFieldOrder,
} from './debt-orders.repository.ts';
import {
  checkDate,
  type DebtDeps,
  inCase,
  recordTransition,
  type TransitionRecord,
} from './debt-workflow.service.ts';

/** §11 the work a case ordered comes back: a crew's report on a field order, a smart meter's acknowledgement. */

/**
 * A crew reports a field order done on `date` (or, for a restriction, technically impossible: suspension
 * is then ordered at once). Reporting the same completion again changes nothing.
 */
export async function completeFieldOrder(
  deps: DebtDeps,
  input: { orderId: number; date: string; by: string; impossible?: boolean },
): Promise<{ orderId: number; transition: TransitionRecord | null }> {
  const date = checkDate(input.date);
  const order = await findFieldOrder(deps.db, input.orderId);
  if (!order) throw DebtErrors.orderNotFound(input.orderId);
  const account = (await accountRows(deps.db, [order.accountId]))[0]!;
  if (input.impossible && order.kind !== 'restrict') throw DebtErrors.impossibleOnlyForRestriction(order.id);
  return inCase(deps, account, async (tx) => {
    const row = await lockCase(tx, order.caseId);
    const fresh = await findFieldOrder(tx, order.id);
    if (!row || !fresh) throw DebtErrors.orderNotFound(input.orderId);
    const wanted = input.impossible ? 'impossible' : 'done';
    if (fresh.status === wanted && fresh.doneOn === date) return { orderId: order.id, transition: null };
    if (fresh.status !== 'open') throw DebtErrors.orderNotOpen(order.id, fresh.status);
    if (!input.impossible && date < fresh.notBefore)
      throw DebtErrors.orderTooEarly(order.id, fresh.notBefore);
    if (input.impossible) {
      // Marked before the transition, whose 'cancel_open_orders' would otherwise cancel it.
      await finishFieldOrder(tx, order.id, { status: 'impossible', on: date, by: input.by });
      await setRestrictionPossible(tx, row.id, false);
      const t = await recordTransition(
        tx,
        { ...row, restrictionPossible: false },
        account,
        { kind: 'restriction_impossible', date, by: input.by },
        input.by,
        { orderId: order.id },
      );
      return { orderId: order.id, transition: t };
    }
    const t = await recordTransition(
      tx,
      row,
      account,
      { kind: 'order_executed', date, by: input.by },
      input.by,
      { orderId: order.id },
    );
    // After the machine accepted the date (a too-early report is refused with its reason code).
    await finishFieldOrder(tx, order.id, { status: 'done', on: date, by: input.by });
    return { orderId: order.id, transition: t };
  });
}

/**
 * The smart-meter module reports a command of a debt case executed (acknowledged by the meter) on `date`:
 * the case moves on as if a crew had done the order. Repeating the report changes nothing.
 */
export async function meterCommandExecuted(
  deps: DebtDeps,
  input: { requestId: number; date: string; by: string },
): Promise<{ requestId: number; transition: TransitionRecord | null }> {
  const date = checkDate(input.date);
  const request = await findMeterCommand(deps.db, input.requestId);
  if (!request || request.caseId === null) throw DebtErrors.commandNotFound(input.requestId);
  const caseId = request.caseId;
  const accountId = await caseAccountId(deps.db, caseId);
  const account = (await accountRows(deps.db, [accountId]))[0]!;
  return inCase(deps, account, async (tx) => {
    const row = await lockCase(tx, caseId);
    const fresh = await findMeterCommand(tx, request.id);
    if (!row || !fresh) throw DebtErrors.commandNotFound(input.requestId);
    if (fresh.status === 'acknowledged') return { requestId: request.id, transition: null };
    if (!['requested', 'sent'].includes(fresh.status))
      throw DebtErrors.orderNotOpen(request.id, fresh.status);
    await acknowledgeMeterCommand(tx, request.id);
    const t = await recordTransition(
      tx,
      row,
      account,
      { kind: 'order_executed', date, by: input.by },
      input.by,
      {
        meterCommandRequestId: request.id,
      },
    );
    return { requestId: request.id, transition: t };
  });
}
