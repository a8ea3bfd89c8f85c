import { formatRegisterValue } from '../domain/register-value.ts';
import type { Db } from '../platform/database.ts';
import { findAccountByNumber, findMeterBySerial, listReadings } from './intake.repository.ts';

/** A reading as history shows it (domain.md §4: values, times, channel, period, status, reason). */
export interface ReadingView {
  id: number;
  meter: string;
  kind: string;
  values: string[];
  valuesWh: number[];
  consumptionWh: number[] | null;
  rollover: boolean;
  takenAt: string;
  receivedAt: string;
  channel: string;
  externalId: string | null;
  submittedBy: string | null;
  period: string;
  billedInPeriod: string | null;
  status: string;
  reasonCode: string | null;
}

export type ReadingsQuery =
  | { account: string; meter?: string; limit?: number }
  | { meter: string; account?: string; limit?: number };

/** Reading history of an account or a meter, newest first; undefined when the account/meter is unknown. */
export async function listReadingsOf(db: Db, q: ReadingsQuery): Promise<ReadingView[] | undefined> {
  const limit = Math.min(Math.max(q.limit ?? 100, 1), 1000);
  let accountId: number | undefined;
  let meterId: number | undefined;
  if (q.account !== undefined) {
    const a = await findAccountByNumber(db, q.account);
    if (!a) return undefined;
    accountId = a.id;
  }
  if (q.meter !== undefined) {
    const m = await findMeterBySerial(db, q.meter);
    if (!m || (accountId !== undefined && m.accountId !== accountId)) return undefined;
    meterId = m.id;
  }
  const rows = await listReadings(db, { accountId, meterId, limit });
  return rows.map((r) => ({
    id: r.id,
    meter: r.meterSerial,
    kind: r.kind,
    values: r.valuesWh.map((wh) => formatRegisterValue(wh, r.decimals)),
    valuesWh: r.valuesWh,
    consumptionWh: r.consumptionWh,
    rollover: r.rollover,
    takenAt: r.takenAt.toISOString(),
    receivedAt: r.receivedAt.toISOString(),
    channel: r.channel,
    externalId: r.externalId,
    submittedBy: r.submittedBy,
    period: r.period,
    billedInPeriod: r.billedInPeriod,
    status: r.status,
    reasonCode: r.reasonCode,
  }));
}
