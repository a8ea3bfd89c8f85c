import { sql } from 'kysely';
import type { HistoryPoint, MeterFacts } from '../domain/reading-rules.ts';
import type { Executor } from '../platform/database.ts';

/** The only SQL of the intake. */

export interface AccountRow {
  id: number;
  number: string;
  status: 'active' | 'closed';
  payerName: string;
  address: string;
  premisesNumber: string;
  regionCode: string;
  timeZone: string;
}

const ACCOUNT_SELECT = sql`
  SELECT a.id, a.number, a.status, a.payer_name AS "payerName", h.address, p.number AS "premisesNumber",
         h.region_code AS "regionCode", r.time_zone AS "timeZone"
  FROM account a
  JOIN premises p ON p.id = a.premises_id
  JOIN house h ON h.id = p.house_id
  JOIN region r ON r.code = h.region_code`;

export async function findAccountByNumber(db: Executor, number: string): Promise<AccountRow | undefined> {
  const r = await sql<AccountRow>`${ACCOUNT_SELECT} WHERE a.number = ${number}`.execute(db);
  return r.rows[0];
}

export async function findAccountById(db: Executor, id: number): Promise<AccountRow | undefined> {
  const r = await sql<AccountRow>`${ACCOUNT_SELECT} WHERE a.id = ${id}`.execute(db);
  return r.rows[0];
}

export async function findAccountsByPhone(db: Executor, phone: string): Promise<AccountRow[]> {
  const r = await sql<AccountRow>`${ACCOUNT_SELECT}
    WHERE a.id IN (SELECT account_id FROM account_phone WHERE phone = ${phone}) AND a.status = 'active'
    ORDER BY a.number`.execute(db);
  return r.rows;
}

export interface MeterRow extends MeterFacts {
  id: number;
  accountId: number | null;
  model: string;
  smart: boolean;
}

const METER_SELECT = sql`
  SELECT id, serial, model, account_id AS "accountId", zones, digits, decimals, status,
         commissioned_on AS "commissionedOn", next_verification_on AS "nextVerificationOn",
         initial_values_wh AS "initialValuesWh", smart, failed_on AS "failedOn"
  FROM meter`;

export async function findMeterBySerial(db: Executor, serial: string): Promise<MeterRow | undefined> {
  const r = await sql<MeterRow>`${METER_SELECT} WHERE serial = ${serial}`.execute(db);
  return r.rows[0];
}

/** The account's individual meters, those in service first. */
export async function metersOfAccount(db: Executor, accountId: number): Promise<MeterRow[]> {
  const r = await sql<MeterRow>`${METER_SELECT}
    WHERE account_id = ${accountId}
    ORDER BY (status = 'removed'), installed_on DESC, id DESC`.execute(db);
  return r.rows;
}

const METER_JSON = sql`json_build_object(
  'id', m.id, 'serial', m.serial, 'model', m.model, 'accountId', m.account_id, 'zones', m.zones, 'digits', m.digits,
  'decimals', m.decimals, 'status', m.status, 'commissionedOn', m.commissioned_on,
  'nextVerificationOn', m.next_verification_on, 'initialValuesWh', m.initial_values_wh, 'smart', m.smart,
  'failedOn', m.failed_on)`;

/**
 * The account by number with its individual meters (in service first) and, when the message has an
 * external id, the stored answer to an earlier delivery of it — in one round trip.
 */
export async function findAccountWithMeters(
  db: Executor,
  number: string,
  message: { channel: string; externalId: string } | undefined,
): Promise<{
  found: { account: AccountRow; meters: MeterRow[] } | undefined;
  seen: StoredReply | undefined;
}> {
  const r = await sql<{ account: AccountRow | null; meters: MeterRow[] | null; seen: StoredReply | null }>`
    SELECT to_json(acc) AS account,
      (SELECT json_agg(${METER_JSON} ORDER BY (m.status = 'removed'), m.installed_on DESC, m.id DESC)
       FROM meter m WHERE m.account_id = acc.id) AS meters,
      ${
        message
          ? sql`(SELECT json_build_object('id', id, 'requestHash', request_hash, 'reply', reply) FROM reading
                 WHERE channel = ${message.channel} AND external_id = ${message.externalId})`
          : sql`NULL::json`
      } AS seen
    FROM (SELECT 1) one LEFT JOIN (${ACCOUNT_SELECT} WHERE a.number = ${number}) acc ON true`.execute(db);
  const row = r.rows[0]!;
  return {
    found: row.account ? { account: row.account, meters: row.meters ?? [] } : undefined,
    seen: row.seen ?? undefined,
  };
}

/**
 * Locks the meter (serialising all submissions for it: rule 7 and a consistent history under concurrency),
 * then reads everything the decision needs: history, the last closed period, the new reading's id.
 * One round trip: see migrations/0003_intake_lock.sql.
 */
export async function lockMeterForDecision(
  db: Executor,
  meterId: number,
  regionCode: string,
): Promise<{
  history: (HistoryPoint & { kind: 'regular' | 'control' })[];
  lastClosedPeriod: string | undefined;
  nextId: number;
}> {
  const r = await sql<{
    history: {
      id: number;
      period: string;
      kind: 'regular' | 'control';
      takenAt: string;
      valuesWh: number[];
    }[];
    closed: string | null;
    next_id: number;
  }>`SELECT closed, next_id, history FROM intake_lock_meter(${meterId}, ${regionCode})`.execute(db);
  const row = r.rows[0]!;
  return {
    history: row.history.map((h) => ({ ...h, takenAt: new Date(h.takenAt) })),
    lastClosedPeriod: row.closed ?? undefined,
    nextId: row.next_id,
  };
}

export interface StoredReply {
  id: number;
  requestHash: string | null;
  reply: unknown;
}

export async function findByExternalId(
  db: Executor,
  channel: string,
  externalId: string,
): Promise<StoredReply | undefined> {
  const r = await sql<StoredReply>`
    SELECT id, request_hash AS "requestHash", reply FROM reading
    WHERE channel = ${channel} AND external_id = ${externalId}`.execute(db);
  return r.rows[0];
}

export interface NewReading {
  meterId: number;
  accountId: number | null;
  kind: 'regular' | 'control' | 'final';
  valuesWh: number[];
  consumptionWh: number[] | null;
  rollover: boolean;
  takenAt: Date;
  receivedAt: Date;
  channel: string;
  externalId: string | null;
  requestHash: string | null;
  submittedBy: string | null;
  period: string;
  billedInPeriod: string | null;
  status: 'accepted' | 'held' | 'rejected';
  reasonCode: string | null;
}

/** Appends a reading; `reply` is the answer given to the channel, returned again on a repeated message. */
export async function insertReading(db: Executor, id: number, r: NewReading, reply: unknown): Promise<void> {
  await sql`
    INSERT INTO reading (id, meter_id, account_id, kind, values_wh, consumption_wh, rollover, taken_at, received_at,
      channel, external_id, request_hash, submitted_by, period, billed_in_period, status, reason_code, reply)
    OVERRIDING SYSTEM VALUE
    VALUES (${id}, ${r.meterId}, ${r.accountId}, ${r.kind}, ${r.valuesWh}, ${r.consumptionWh}, ${r.rollover},
      ${r.takenAt}, ${r.receivedAt}, ${r.channel}, ${r.externalId}, ${r.requestHash}, ${r.submittedBy}, ${r.period},
      ${r.billedInPeriod}, ${r.status}, ${r.reasonCode}, ${JSON.stringify(reply)}::jsonb)`.execute(db);
}

export interface ReadingListRow {
  id: number;
  meterSerial: string;
  zones: number;
  decimals: number;
  kind: string;
  valuesWh: number[];
  consumptionWh: number[] | null;
  rollover: boolean;
  takenAt: Date;
  receivedAt: Date;
  channel: string;
  externalId: string | null;
  submittedBy: string | null;
  period: string;
  billedInPeriod: string | null;
  status: string;
  reasonCode: string | null;
}

export async function listReadings(
  db: Executor,
  filter: { accountId?: number; meterId?: number; limit: number; fromPeriod?: string; toPeriod?: string },
): Promise<ReadingListRow[]> {
  const r = await sql<ReadingListRow>`
    SELECT r.id, m.serial AS "meterSerial", m.zones, m.decimals, r.kind, r.values_wh AS "valuesWh",
           r.consumption_wh AS "consumptionWh", r.rollover, r.taken_at AS "takenAt", r.received_at AS "receivedAt",
           r.channel, r.external_id AS "externalId", r.submitted_by AS "submittedBy", r.period,
           r.billed_in_period AS "billedInPeriod", r.effective_status AS status, r.reason_code AS "reasonCode"
    FROM reading_effective r JOIN meter m ON m.id = r.meter_id
    WHERE true
      ${filter.accountId !== undefined ? sql`AND r.account_id = ${filter.accountId}` : sql``}
      ${filter.meterId !== undefined ? sql`AND r.meter_id = ${filter.meterId}` : sql``}
      ${filter.fromPeriod !== undefined ? sql`AND r.period >= ${filter.fromPeriod}` : sql``}
      ${filter.toPeriod !== undefined ? sql`AND r.period <= ${filter.toPeriod}` : sql``}
    ORDER BY r.taken_at DESC, r.id DESC
    LIMIT ${filter.limit}`.execute(db);
  return r.rows;
}
