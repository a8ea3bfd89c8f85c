import { createHash } from 'node:crypto';
import { localDateOf } from '../domain/local-time.ts';
import type { RuleParameters } from '../domain/parameters.ts';
import { formatLocalDate } from '../domain/period.ts';
import {
  billDeliveredBy,
  type Check,
  checkAccountAndMeter,
  checkTakenAt,
  checkValues,
  type Decision,
  decideReading,
  type InvalidReason,
} from '../domain/reading-rules.ts';
import { formatRegisterValue } from '../domain/register-value.ts';
import { reasonMessage } from '../i18n/reading-messages.ts';
import type { Clock } from '../platform/clock.ts';
import { type Db, PgError, pgErrorCode } from '../platform/database.ts';
import { loadRuleParameters } from '../registry/index.ts';
import {
  type AccountRow,
  findAccountById,
  findAccountsByPhone,
  findAccountWithMeters,
  findByExternalId,
  findMeterBySerial,
  insertReading,
  lockMeterForDecision,
  type MeterRow,
  metersOfAccount,
} from './intake.repository.ts';
import { type ReadingSubmission, readingSubmissionSchema } from './intake.schemas.ts';
import { outcomeMessage } from './intake-messages.ts';
import type { IntakeResult, IntakeZoneValue } from './intake-result.ts';

export interface IntakeDeps {
  db: Db;
  clock: Clock;
}

/**
 * The one readings-intake use case (domain.md §4). Every channel builds a submission and calls this;
 * it returns a typed result that the channel renders. One transaction per submission; submissions for
 * one meter are serialised by a row lock on the meter, so concurrent ones leave a consistent history.
 */
export async function submitReading(deps: IntakeDeps, input: ReadingSubmission): Promise<IntakeResult> {
  const parsed = readingSubmissionSchema.safeParse(input);
  if (!parsed.success) {
    throw new IntakeInputError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '/'}: ${i.message}`).join('; '),
    );
  }
  const s = parsed.data;
  const now = deps.clock.now();
  const hash = requestHash(s);

  const message = s.externalId !== undefined ? { channel: s.channel, externalId: s.externalId } : undefined;
  // Identified by account number, the account and the stored answer to an earlier delivery of the same
  // message come in one round trip.
  const byNumber =
    s.account !== undefined ? await findAccountWithMeters(deps.db, s.account, message) : undefined;
  // A repeat of a delivered message gets the first answer, whatever has changed since (rule 7).
  const seen = byNumber
    ? byNumber.seen
    : message && (await findByExternalId(deps.db, message.channel, message.externalId));
  if (seen) return repeatAnswer(seen.requestHash, hash, seen.reply, s.channel);
  const who = await identify(deps.db, s, byNumber?.found);
  if (!who.ok) return invalid(s.channel, who.reason, who.params ?? {}, who.account);
  const { account, meter } = who.value;
  const takenAt = s.takenAt ? new Date(s.takenAt) : now;
  const takenOn = localDateOf(takenAt, account.timeZone);
  const params = await loadRuleParameters(deps.db, account.regionCode, formatLocalDate(takenOn));
  const checks: Check<unknown>[] = [
    checkAccountAndMeter(account, meter, takenOn),
    checkTakenAt(takenAt, now, meter, account.timeZone, params),
  ];
  for (const c of checks) if (!c.ok) return invalid(s.channel, c.reason, c.params ?? {}, account, meter);
  const values = checkValues(s.values, meter);
  if (!values.ok) return invalid(s.channel, values.reason, values.params ?? {}, account, meter);

  try {
    return await deps.db.transaction().execute(async (tx) => {
      // A repeat racing this one is caught by the unique (channel, external_id) key below.
      const facts = await lockMeterForDecision(tx, meter.id, account.regionCode);
      const history = facts.history;
      const decisionInput = {
        meter,
        valuesWh: values.value,
        takenAt,
        channel: s.channel,
        timeZone: account.timeZone,
        params,
        history,
        lastClosedPeriod: facts.lastClosedPeriod,
      };
      const probe = decideReading({ ...decisionInput, sameperiodReadingId: undefined });
      const same = history.find((h) => h.period === probe.counted.period && h.kind === s.kind);
      const decision = same ? decideReading({ ...decisionInput, sameperiodReadingId: same.id }) : probe;
      const id = facts.nextId;
      const result = decidedResult(
        id,
        s.channel,
        account,
        meter,
        values.value,
        takenAt,
        now,
        decision,
        params,
      );
      await insertReading(
        tx,
        id,
        {
          meterId: meter.id,
          accountId: account.id,
          kind: s.kind,
          valuesWh: values.value,
          consumptionWh: decision.outcome === 'rejected' ? null : decision.consumptionWh,
          rollover: decision.rollover,
          takenAt,
          receivedAt: now,
          channel: s.channel,
          externalId: s.externalId ?? null,
          requestHash: hash,
          submittedBy: s.submittedBy ?? null,
          period: decision.counted.period,
          billedInPeriod: decision.outcome === 'rejected' ? null : decision.billedInPeriod,
          status: decision.outcome,
          reasonCode: decision.reason ?? null,
        },
        result,
      );
      return result;
    });
  } catch (e) {
    // Two deliveries of one message racing on different meters' locks: the unique key decided; answer as a repeat.
    if (pgErrorCode(e) === PgError.uniqueViolation && s.externalId !== undefined) {
      const seen = await findByExternalId(deps.db, s.channel, s.externalId);
      if (seen) return repeatAnswer(seen.requestHash, hash, seen.reply, s.channel);
    }
    throw e;
  }
}

/** A submission that does not even parse (the edge schema). Channels turn it into their own 4xx. */
export class IntakeInputError extends Error {
  readonly code = 'VALIDATION_FAILED';
}

type Identified = Check<{ account: AccountRow; meter: MeterRow }> & { account?: AccountRow };

/** Rule 1: identification by account number, linked phone or meter serial; the meter belongs to the account. */
async function identify(
  db: Db,
  s: { account?: string | undefined; phone?: string | undefined; meter?: string | undefined },
  byNumber: { account: AccountRow; meters: MeterRow[] } | undefined,
): Promise<Identified> {
  let account: AccountRow | undefined;
  let accountMeters: MeterRow[] | undefined;
  if (s.account !== undefined) {
    if (!byNumber) return { ok: false, reason: 'ACCOUNT_NOT_FOUND', params: { account: s.account } };
    account = byNumber.account;
    accountMeters = byNumber.meters;
  } else if (s.phone !== undefined) {
    const found = await findAccountsByPhone(db, s.phone);
    if (found.length === 0 && s.meter === undefined) return { ok: false, reason: 'PHONE_NOT_LINKED' };
    if (found.length > 1 && s.meter === undefined) return { ok: false, reason: 'PHONE_AMBIGUOUS' };
    account = found[0];
  }
  let meter: MeterRow | undefined;
  if (s.meter !== undefined) {
    meter = await findMeterBySerial(db, s.meter);
    if (!meter || meter.accountId === null)
      return { ok: false, reason: 'METER_NOT_FOUND', params: { serial: s.meter }, account };
    if (account && meter.accountId !== account.id) {
      return { ok: false, reason: 'METER_OF_ANOTHER_ACCOUNT', params: { serial: s.meter }, account };
    }
    account ??= await findAccountById(db, meter.accountId);
  }
  if (!account) return { ok: false, reason: 'ACCOUNT_NOT_FOUND' };
  if (!meter) {
    const meters = accountMeters ?? (await metersOfAccount(db, account.id));
    const inService = meters.filter((m) => m.status !== 'removed');
    if (inService.length > 1) return { ok: false, reason: 'METER_REQUIRED', account };
    meter = inService[0] ?? meters[0];
    if (!meter) return { ok: false, reason: 'NO_METER', account };
  }
  return { ok: true, value: { account, meter } };
}

function requestHash(s: {
  account?: string | undefined;
  phone?: string | undefined;
  meter?: string | undefined;
  values: (string | number)[];
  takenAt?: string | undefined;
  kind: string;
}): string {
  const canonical = JSON.stringify([
    s.account ?? null,
    s.phone ?? null,
    s.meter ?? null,
    s.values.map(String),
    s.takenAt ?? null,
    s.kind,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** Rule 7: the same message delivered twice is one submission, and the second answer equals the first. */
function repeatAnswer(
  storedHash: string | null,
  hash: string,
  reply: unknown,
  channel: string,
): IntakeResult {
  if (storedHash !== hash) return invalid(channel, 'IDEMPOTENCY_CONFLICT', {});
  return { ...(reply as IntakeResult), duplicate: true };
}

function invalid(
  channel: string,
  code: InvalidReason,
  params: Record<string, unknown>,
  account?: AccountRow,
  meter?: MeterRow,
): IntakeResult {
  return {
    outcome: 'invalid',
    reason: { code, params },
    message: reasonMessage(code, params, 'ru'),
    messageEn: reasonMessage(code, params, 'en'),
    duplicate: false,
    readingId: undefined,
    account: account ? { number: account.number, address: addressOf(account) } : undefined,
    meter: meter ? { serial: meter.serial, zones: meter.zones } : undefined,
    period: undefined,
    billedInPeriod: undefined,
    recalculation: false,
    rollover: false,
    replacesReadingId: undefined,
    values: [],
    takenAt: undefined,
    receivedAt: undefined,
    channel,
    window: undefined,
    billDeliveredBy: undefined,
    previous: undefined,
  };
}

function decidedResult(
  id: number,
  channel: string,
  account: AccountRow,
  meter: MeterRow,
  valuesWh: number[],
  takenAt: Date,
  receivedAt: Date,
  d: Decision,
  params: RuleParameters,
): IntakeResult {
  const zoneNames = params.zoneNames[String(meter.zones) as '1' | '2' | '3'] ?? [];
  const values: IntakeZoneValue[] = valuesWh.map((wh, i) => ({
    register: i + 1,
    zone: zoneNames[i] ?? `t${i + 1}`,
    value: formatRegisterValue(wh, meter.decimals),
    valueWh: wh,
    previousWh: d.previous.valuesWh[i],
    consumptionWh: d.outcome === 'rejected' ? undefined : d.consumptionWh[i],
  }));
  const base: IntakeResult = {
    outcome: d.outcome,
    reason: d.reason ? { code: d.reason, params: d.reasonParams } : undefined,
    message: '',
    messageEn: '',
    duplicate: false,
    readingId: id,
    account: { number: account.number, address: addressOf(account) },
    meter: { serial: meter.serial, zones: meter.zones },
    period: d.counted.period,
    billedInPeriod: d.outcome === 'rejected' ? undefined : d.billedInPeriod,
    recalculation: d.outcome !== 'rejected' && d.recalculation,
    rollover: d.rollover,
    replacesReadingId: d.outcome === 'rejected' ? undefined : d.replacesReadingId,
    values,
    takenAt: takenAt.toISOString(),
    receivedAt: receivedAt.toISOString(),
    channel,
    window: {
      opens: formatLocalDate(d.counted.windowOpens),
      closes: formatLocalDate(d.counted.windowCloses),
      inWindow: d.counted.inWindow,
    },
    billDeliveredBy:
      d.outcome === 'rejected' ? undefined : formatLocalDate(billDeliveredBy(d.billedInPeriod, params)),
    previous: {
      period: d.previous.period,
      takenAt: d.previous.takenAt?.toISOString(),
      source: d.previous.source,
    },
  };
  return { ...base, message: outcomeMessage(base, 'ru'), messageEn: outcomeMessage(base, 'en') };
}

function addressOf(a: AccountRow): string {
  return `${a.address}, кв. ${a.premisesNumber}`;
}
