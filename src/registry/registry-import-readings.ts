import { localDateOf } from '../domain/local-time.ts';
import {
  comparePeriods,
  formatLocalDate,
  parseLocalDate,
  periodOfDate,
  periodsBetween,
} from '../domain/period.ts';
import { checkValues } from '../domain/reading-rules.ts';
import { countedPeriod } from '../domain/readings-window.ts';
import { canonicalTimestamp } from './registry-format.ts';
import { meterFacts, or } from './registry-import-checks.ts';
import type { ImportRun, RowState } from './registry-import-run.ts';
import type { ReadingRec } from './registry-io.repository.ts';
import { mapKey, toRow } from './registry-rows.ts';

/**
 * The checks of the readings section (domain.md §4): per row — meter and account, zone count and register
 * values, dates, period — then the order of each meter's history (rule 4) with the stored readings.
 */

/** Per-row checks of readings; the order of each meter's readings is checked after (checkReadingOrder). */
export function checkReadings(run: ImportRun): void {
  for (const st of run.pending('readings')) {
    const r = st.row;
    const meter = run.need('readings', st, 'meters', [r.meterSerial], 'METER_NOT_FOUND', {
      serial: r.meterSerial,
    });
    if (!meter) continue;
    if (r.accountNumber) {
      if (
        !run.need('readings', st, 'accounts', [r.accountNumber], 'ACCOUNT_NOT_FOUND', {
          number: r.accountNumber,
        })
      )
        continue;
      if (r.accountNumber !== meter.accountNumber) {
        run.reject('readings', st, 'READING_ACCOUNT_MISMATCH', {
          serial: meter.serial,
          meterAccount: meter.accountNumber,
          account: r.accountNumber,
        });
        continue;
      }
    }
    const values = checkValues(r.values, meterFacts(meter));
    if (!values.ok) {
      run.reject('readings', st, values.reason, values.params);
      continue;
    }
    const house = run.ref('houses', [meter.houseCode]);
    const regionCode = house.found === 'file' || house.found === 'db' ? house.rec.regionCode : '';
    const timeZone = run.regions.get(regionCode) ?? 'UTC';
    const takenAt = canonicalTimestamp(r.takenAt) as string;
    const receivedAt = canonicalTimestamp(r.receivedAt) as string;
    const taken = new Date(takenAt);
    const takenOn = formatLocalDate(localDateOf(taken, timeZone));
    const tolerance = run.futureToleranceMs(regionCode, takenOn);
    if (taken.getTime() > run.now.getTime() + tolerance) {
      run.reject('readings', st, 'TAKEN_IN_FUTURE', { takenAt });
      continue;
    }
    if (Date.parse(receivedAt) > run.now.getTime() + tolerance) {
      run.reject('readings', st, 'RECEIVED_IN_FUTURE');
      continue;
    }
    if (taken.getTime() > Date.parse(receivedAt) + tolerance) {
      run.reject('readings', st, 'TAKEN_AFTER_RECEIVED');
      continue;
    }
    const since = meter.commissionedOn ?? meter.installedOn;
    if (takenOn < since) {
      run.reject('readings', st, 'TAKEN_BEFORE_COMMISSIONING', { date: since });
      continue;
    }
    // §4.3: the period a reading counts for follows from the window; a given period must be one the window
    // can give (the month taken, the one before for "serves previous", the one after between windows).
    const month = periodOfDate(parseLocalDate(takenOn));
    const period =
      r.period ?? countedPeriod(parseLocalDate(takenOn), run.readingsWindow(regionCode, takenOn)).period;
    if (Math.abs(periodsBetween(month, period)) > 1) {
      run.reject('readings', st, 'PERIOD_INCONSISTENT', { period, takenOn });
      continue;
    }
    if (r.billedInPeriod && comparePeriods(r.billedInPeriod, period) < 0) {
      run.reject('readings', st, 'BILLED_BEFORE_PERIOD', { period, billedInPeriod: r.billedInPeriod });
      continue;
    }
    if (r.status === 'rejected' && !r.reasonCode) {
      run.reject('readings', st, 'REASON_REQUIRED');
      continue;
    }
    if (r.externalId) {
      const owner = run.storedExternalIds.get(mapKey([r.channel, r.externalId]));
      if (
        owner &&
        mapKey([owner.meterSerial, owner.kind, owner.takenAt, owner.receivedAt, owner.channel]) !== st.key
      ) {
        run.reject('readings', st, 'EXTERNAL_ID_TAKEN', { channel: r.channel, externalId: r.externalId });
        continue;
      }
    }
    const rec: ReadingRec = {
      meterSerial: r.meterSerial,
      // A reading of an individual meter belongs to the meter's account (its history in the personal account).
      accountNumber: r.accountNumber ?? meter.accountNumber,
      kind: r.kind,
      valuesWh: values.value,
      rollover: r.rollover,
      takenAt,
      receivedAt,
      channel: r.channel,
      externalId: or(r.externalId),
      submittedBy: or(r.submittedBy),
      period,
      billedInPeriod: or(r.billedInPeriod),
      status: r.status,
      reasonCode: or(r.reasonCode),
    };
    run.settle('readings', st, rec, (x) => toRow.readings(x, meter.decimals));
  }
}

interface Item {
  rec: ReadingRec;
  /** Set for a reading of the file (to be inserted); stored readings have none. */
  state?: RowState<'readings'>;
  /** Submission order: stored by id, then the file's. */
  order: number;
}

/** An instant in microseconds from its canonical spelling (string order is wrong for mixed precision). */
function micros(ts: string): number {
  const [base, frac = '000Z'] = ts.split('.');
  return Date.parse(`${base}Z`) * 1000 + Number(frac.slice(0, -1).padEnd(6, '0'));
}

/** The first zone (0-based) whose value is lower than the baseline's, or -1. */
function firstLower(values: number[], baseline: number[]): number {
  return values.findIndex((v, z) => v < (baseline[z] ?? 0));
}

/**
 * §3/§4 rule 4 over each meter's history, stored and new together: the readings that count (the last
 * accepted of each period and kind, as the view reading_effective decides) must not decrease in the order
 * they were taken, starting from the commissioning act's initial values, unless flagged as a rollover.
 * Control readings by the supplier are authoritative: checked only against the act, then the baseline.
 * Superseded and held readings are checked against the reading that counts for the period before. Rejected
 * readings are history as it was: not checked.
 */
export function checkReadingOrder(run: ImportRun): void {
  const fresh = new Map<string, RowState<'readings'>[]>();
  for (const st of run.rows.readings) {
    if (st.status !== 'insert' || !st.rec) continue;
    fresh.set(st.rec.meterSerial, [...(fresh.get(st.rec.meterSerial) ?? []), st]);
  }
  for (const [serial, states] of fresh) {
    const meter = run.ref('meters', [serial]);
    if (meter.found !== 'file' && meter.found !== 'db') continue;
    const act = meter.rec.initialValuesWh;
    const stored = run.storedReadings.get(serial) ?? [];
    const items: Item[] = [
      ...stored.map((rec, order) => ({ rec, order })),
      ...states.map((state, i) => ({ rec: state.rec as ReadingRec, state, order: stored.length + i })),
    ];
    const counting = new Map<string, Item>();
    for (const it of items)
      if (it.rec.status === 'accepted') counting.set(mapKey([it.rec.period, it.rec.kind]), it);
    const effective = new Set(counting.values());
    const rejectLower = (it: Item, code: string, baseline: Item | undefined, z: number) =>
      run.reject('readings', it.state as RowState<'readings'>, code, {
        zone: z + 1,
        valueWh: it.rec.valuesWh[z],
        previousWh: (baseline?.rec.valuesWh ?? act)[z],
        previousTakenAt: baseline?.rec.takenAt,
      });

    const sequence = [...effective].sort(
      (a, b) => micros(a.rec.takenAt) - micros(b.rec.takenAt) || a.order - b.order,
    );
    const stack: Item[] = [];
    let rolled = false;
    for (const it of sequence) {
      if (it.rec.kind === 'control') {
        const z = it.state && !rolled && !it.rec.rollover ? firstLower(it.rec.valuesWh, act) : -1;
        if (z >= 0) {
          rejectLower(it, 'LOWER_THAN_ACT', undefined, z);
          continue;
        }
        stack.push(it);
        rolled ||= it.rec.rollover;
        continue;
      }
      for (;;) {
        const base = stack.at(-1);
        const z = it.rec.rollover ? -1 : firstLower(it.rec.valuesWh, base?.rec.valuesWh ?? act);
        if (z < 0) {
          stack.push(it);
          rolled ||= it.rec.rollover;
          break;
        }
        if (it.state) {
          rejectLower(it, base ? 'LOWER_THAN_PREVIOUS' : 'LOWER_THAN_ACT', base, z);
          break;
        }
        if (base?.state) {
          // A stored reading taken later is lower: the file's reading is the one out of order.
          run.reject('readings', base.state, 'HIGHER_THAN_LATER', {
            zone: z + 1,
            valueWh: base.rec.valuesWh[z],
            laterWh: it.rec.valuesWh[z],
            laterTakenAt: it.rec.takenAt,
          });
          stack.pop();
          continue;
        }
        stack.push(it); // the stored history disagrees with itself: not this file's doing
        break;
      }
    }

    // A superseded or held reading of the file passed rule 4 when it was submitted: not lower than the
    // reading that counts for the period before (or the act), unless flagged as a rollover.
    for (const it of items) {
      if (!it.state || effective.has(it) || it.rec.status === 'rejected' || it.rec.rollover) continue;
      if (it.state.status === 'rejected') continue;
      const base = stack.filter((b) => comparePeriods(b.rec.period, it.rec.period) < 0).at(-1);
      const z = firstLower(it.rec.valuesWh, base?.rec.valuesWh ?? act);
      if (z >= 0) rejectLower(it, base ? 'LOWER_THAN_PREVIOUS' : 'LOWER_THAN_ACT', base, z);
    }
  }
}
