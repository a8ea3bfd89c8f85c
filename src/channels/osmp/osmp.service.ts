import { submitReading } from '../../intake/index.ts';
import { checkPayment, type LedgerDeps, type PaymentRefusalCode, submitPayment } from '../../ledger/index.ts';
import type { PaymentAgent } from './osmp-agent.repository.ts';
import type { OsmpRequest } from './osmp-request.ts';
import { type OsmpAnswer, rubles } from './osmp-xml.ts';

/**
 * The OSMP channel: a thin adapter over the one payment use case and the one reading intake (design.md
 * principle 2). It decides nothing; it maps the typed results to the protocol's result codes:
 * 0 ok, 1 temporary error (any database trouble — the terminal retries), 4 bad account format,
 * 5 account not found, 7 payment forbidden, 79 account inactive, 241 / 242 sum too small / large, 300 other.
 */
const RESULT: Record<PaymentRefusalCode, number> = {
  VALIDATION_FAILED: 300,
  BAD_ACCOUNT_FORMAT: 4,
  ACCOUNT_NOT_FOUND: 5,
  ACCOUNT_CLOSED: 79,
  AMOUNT_NOT_POSITIVE: 241,
  AMOUNT_TOO_SMALL: 241,
  AMOUNT_OVER_LIMIT: 242,
  PERIOD_INVALID: 300,
  IDEMPOTENCY_CONFLICT: 7,
};

export async function handleOsmp(deps: LedgerDeps, agent: PaymentAgent, r: OsmpRequest): Promise<OsmpAnswer> {
  if (r.command === 'check') {
    const c = await checkPayment(deps, {
      channel: 'osmp',
      account: r.account,
      ...(r.sumKopecks !== undefined ? { amountKopecks: r.sumKopecks } : {}),
    });
    if (c.outcome === 'refused') return { txnId: r.txnId, result: RESULT[c.code], comment: c.message };
    return {
      txnId: r.txnId,
      ...(r.sumKopecks !== undefined ? { sumKopecks: r.sumKopecks } : {}),
      result: 0,
      comment: 'Лицевой счёт найден',
      fields: [
        { name: 'fio', value: maskName(c.account.payerName) },
        { name: 'address', value: c.account.address },
        { name: 'balance', value: rubles(c.balanceKopecks) },
        ...(c.lastBill
          ? [
              {
                name: 'bill',
                value: `${c.lastBill.period} ${rubles(c.lastBill.amountDueKopecks)}`,
              },
            ]
          : []),
      ],
    };
  }
  const paid = await submitPayment(deps, {
    channel: 'osmp',
    externalId: `${agent.code}:${r.txnId}`,
    account: r.account,
    amountKopecks: r.sumKopecks ?? 0,
    paidAt: r.paidAt ?? deps.clock.now().toISOString(),
    agentCode: agent.code,
  });
  if (paid.outcome === 'refused') return { txnId: r.txnId, result: RESULT[paid.code], comment: paid.message };
  let comment = 'Платёж принят';
  if (r.readings.length > 0) {
    // §14 the readings typed with the payment go to the one intake; its answer never blocks the payment.
    const reading = await submitReading(deps, {
      account: r.account,
      values: r.readings,
      channel: 'terminal',
      externalId: `osmp:${agent.code}:${r.txnId}`,
      submittedBy: agent.code,
      ...(r.paidAt && Date.parse(r.paidAt) <= deps.clock.now().getTime() ? { takenAt: r.paidAt } : {}),
    });
    // The intake's answer is a full sentence ("Показания 42 приняты за …"); a refusal says so first.
    const refused = reading.outcome === 'invalid' || reading.outcome === 'rejected';
    const notTaken = 'Показания не приняты.';
    comment += `. ${refused && !reading.message.startsWith(notTaken) ? `${notTaken} ` : ''}${reading.message}`;
  }
  return { txnId: r.txnId, prvTxn: paid.paymentId, sumKopecks: paid.amountKopecks, result: 0, comment };
}

/** Personal data on a terminal screen: "Иванов Иван Иванович" → "И***в И. И.". */
export function maskName(name: string): string {
  const [last, ...rest] = name.trim().split(/\s+/);
  if (!last) return '';
  const masked = last.length <= 2 ? `${last[0]}*` : `${last[0]}***${last.at(-1)}`;
  return [masked, ...rest.map((p) => `${p[0]}.`)].join(' ');
}
