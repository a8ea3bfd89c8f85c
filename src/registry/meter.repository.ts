import { sql } from 'kysely';
import type { Executor } from '../platform/database.ts';
import { setClause } from './registry-db.ts';

/** SQL for meters, their replacement and the readings the registry shows or appends (domain.md §3). */

export interface MeterRow {
  id: number;
  serial: string;
  model: string;
  kind: 'individual' | 'common';
  houseId: number;
  house: string;
  accountId: number | null;
  account: string | null;
  region: string;
  timeZone: string;
  zones: number;
  digits: number;
  decimals: number;
  installedOn: string;
  commissionedOn: string | null;
  commissioningAct: string | null;
  initialValuesWh: number[];
  nextVerificationOn: string;
  smart: boolean;
  headEndId: string | null;
  status: 'active' | 'failed' | 'removed';
  failureReason: string | null;
  failedOn: string | null;
  removedOn: string | null;
  /** The meter that replaced this one / the one this meter replaced. */
  replacedBy: string | null;
  replaces: string | null;
}

const METER_SELECT = sql`
  SELECT m.id, m.serial, m.model, m.kind, m.house_id AS "houseId", h.code AS house, m.account_id AS "accountId",
         a.number AS account, h.region_code AS region, r.time_zone AS "timeZone", m.zones, m.digits, m.decimals,
         m.installed_on AS "installedOn", m.commissioned_on AS "commissionedOn",
         m.commissioning_act AS "commissioningAct", m.initial_values_wh AS "initialValuesWh",
         m.next_verification_on AS "nextVerificationOn", m.smart, m.head_end_id AS "headEndId", m.status,
         m.failure_reason AS "failureReason", m.failed_on AS "failedOn", m.removed_on AS "removedOn",
         (SELECT n.serial FROM meter_replacement mr JOIN meter n ON n.id = mr.new_meter_id
          WHERE mr.old_meter_id = m.id) AS "replacedBy",
         (SELECT o.serial FROM meter_replacement mr JOIN meter o ON o.id = mr.old_meter_id
          WHERE mr.new_meter_id = m.id) AS "replaces"
  FROM meter m
  JOIN house h ON h.id = m.house_id
  JOIN region r ON r.code = h.region_code
  LEFT JOIN account a ON a.id = m.account_id`;

export async function findMeter(db: Executor, serial: string, lock = false): Promise<MeterRow | undefined> {
  const r = await sql<MeterRow>`${METER_SELECT} WHERE m.serial = ${serial}
    ${lock ? sql`FOR UPDATE OF m` : sql``}`.execute(db);
  return r.rows[0];
}

/** The account's meters, those in service first, then by installation, newest first. */
export async function metersOfAccount(db: Executor, accountId: number): Promise<MeterRow[]> {
  const r = await sql<MeterRow>`${METER_SELECT}
    WHERE m.account_id = ${accountId}
    ORDER BY (m.status = 'removed'), m.installed_on DESC, m.id DESC`.execute(db);
  return r.rows;
}

export interface LastReadingRow {
  meterId: number;
  valuesWh: number[];
  takenAt: Date;
  period: string;
  kind: string;
  channel: string;
}

/**
 * The last accepted reading of each meter — the latest taken among those that count (superseded ones
 * excluded, held and rejected ones are not accepted).
 */
export async function lastAcceptedReadings(
  db: Executor,
  meterIds: number[],
): Promise<Map<number, LastReadingRow>> {
  if (meterIds.length === 0) return new Map();
  const r = await sql<LastReadingRow>`
    SELECT DISTINCT ON (meter_id) meter_id AS "meterId", values_wh AS "valuesWh", taken_at AS "takenAt", period,
           kind, channel
    FROM reading_effective
    WHERE meter_id = ANY(${meterIds}::bigint[]) AND effective_status = 'accepted'
    ORDER BY meter_id, taken_at DESC, id DESC`.execute(db);
  return new Map(r.rows.map((x) => [x.meterId, x]));
}

export interface NewMeter {
  serial: string;
  model: string;
  kind: 'individual' | 'common';
  houseId: number;
  accountId: number | null;
  zones: number;
  digits: number;
  decimals: number;
  installedOn: string;
  commissionedOn: string | null;
  commissioningAct: string | null;
  initialValuesWh: number[];
  nextVerificationOn: string;
  smart: boolean;
  headEndId: string | null;
}

export async function insertMeter(db: Executor, m: NewMeter): Promise<number> {
  const r = await sql<{ id: number }>`
    INSERT INTO meter (serial, model, kind, house_id, account_id, zones, digits, decimals, installed_on,
                       commissioned_on, commissioning_act, initial_values_wh, next_verification_on, smart, head_end_id)
    VALUES (${m.serial}, ${m.model}, ${m.kind}, ${m.houseId}, ${m.accountId}, ${m.zones}, ${m.digits}, ${m.decimals},
            ${m.installedOn}, ${m.commissionedOn}, ${m.commissioningAct}, ${m.initialValuesWh}::bigint[],
            ${m.nextVerificationOn}, ${m.smart}, ${m.headEndId})
    RETURNING id`.execute(db);
  return r.rows[0]!.id;
}

export interface MeterChanges {
  status?: 'active' | 'failed' | 'removed';
  failureReason?: string | null;
  failedOn?: string | null;
  nextVerificationOn?: string;
  model?: string;
  commissionedOn?: string;
  commissioningAct?: string;
  removedOn?: string;
}

export async function updateMeter(db: Executor, id: number, changes: MeterChanges): Promise<void> {
  const set = setClause(changes as Record<string, unknown>, {
    status: 'status',
    failureReason: 'failure_reason',
    failedOn: 'failed_on',
    nextVerificationOn: 'next_verification_on',
    model: 'model',
    commissionedOn: 'commissioned_on',
    commissioningAct: 'commissioning_act',
    removedOn: 'removed_on',
  });
  if (set) await sql`UPDATE meter SET ${set} WHERE id = ${id}`.execute(db);
}

export interface FinalReading {
  meterId: number;
  accountId: number | null;
  valuesWh: number[];
  consumptionWh: number[];
  takenAt: Date;
  receivedAt: Date;
  submittedBy: string | null;
  period: string;
  billedInPeriod: string;
}

/** Appends the old meter's final reading (the reading table is append-only). */
export async function insertFinalReading(db: Executor, f: FinalReading): Promise<number> {
  const r = await sql<{ id: number }>`
    INSERT INTO reading (meter_id, account_id, kind, values_wh, consumption_wh, taken_at, received_at, channel,
                         submitted_by, period, billed_in_period, status)
    VALUES (${f.meterId}, ${f.accountId}, 'final', ${f.valuesWh}::bigint[], ${f.consumptionWh}::bigint[],
            ${f.takenAt}, ${f.receivedAt}, 'operator', ${f.submittedBy}, ${f.period}, ${f.billedInPeriod},
            'accepted')
    RETURNING id`.execute(db);
  return r.rows[0]!.id;
}

export async function insertReplacement(
  db: Executor,
  r: {
    oldMeterId: number;
    newMeterId: number;
    replacedAt: Date;
    finalValuesWh: number[];
    actNumber: string | null;
  },
): Promise<void> {
  await sql`
    INSERT INTO meter_replacement (old_meter_id, new_meter_id, replaced_at, final_values_wh, act_number)
    VALUES (${r.oldMeterId}, ${r.newMeterId}, ${r.replacedAt}, ${r.finalValuesWh}::bigint[], ${r.actNumber})`.execute(
    db,
  );
}

/** The latest period already billed in the region (§4.8), if any. */
export async function lastClosedPeriod(db: Executor, region: string): Promise<string | undefined> {
  const r = await sql<{ period: string | null }>`
    SELECT max(period) AS period FROM billing_period WHERE region_code = ${region}`.execute(db);
  return r.rows[0]?.period ?? undefined;
}
