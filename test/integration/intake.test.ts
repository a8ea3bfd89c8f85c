import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitReading } from '../../src/intake/index.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { addAccount, countRows } from '../support/fixtures.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase(60);
});
afterAll(async () => {
  await t?.drop();
});

const at = (iso: string) => ({ db: t.db, clock: fixedClock(iso) });

describe('submitReading on PostgreSQL (domain.md §4)', () => {
  it('accepts a reading and says which period and bill it goes into', async () => {
    const a = await addAccount(t.db);
    const r = await submitReading(at('2026-11-20T10:00:00Z'), {
      account: a.number,
      values: ['120'],
      channel: 'sms',
    });
    expect(r).toMatchObject({
      outcome: 'accepted',
      period: '2026-11',
      billedInPeriod: '2026-11',
      billDeliveredBy: '2026-12-05',
    });
    expect(r.values[0]).toMatchObject({ value: '120', consumptionWh: 120_000, zone: 'single' });
    expect(r.message).toContain('приняты за ноябрь 2026 г.');
    expect(r.message).toContain('до 5 декабря 2026 г.');
    const rows = await sql<{ status: string; period: string; channel: string }>`
      SELECT status, period, channel FROM reading WHERE meter_id = ${a.meterId}`.execute(t.db);
    expect(rows.rows).toEqual([{ status: 'accepted', period: '2026-11', channel: 'sms' }]);
  });

  it('identifies by linked phone and by meter serial', async () => {
    const a = await addAccount(t.db, { phones: ['+79161234567'] });
    const byPhone = await submitReading(at('2026-11-16T10:00:00Z'), {
      phone: '+79161234567',
      values: [50],
      channel: 'ivr',
    });
    expect(byPhone).toMatchObject({ outcome: 'accepted', account: { number: a.number } });
    const bySerial = await submitReading(at('2026-11-17T10:00:00Z'), {
      meter: a.serial,
      values: [60],
      channel: 'sms',
    });
    expect(bySerial).toMatchObject({ outcome: 'accepted', replacesReadingId: byPhone.readingId });
    const unknownPhone = await submitReading(at('2026-11-17T10:00:00Z'), {
      phone: '+79990000000',
      values: [1],
    });
    expect(unknownPhone).toMatchObject({ outcome: 'invalid', reason: { code: 'PHONE_NOT_LINKED' } });
  });

  it('bad input is refused with a reason code and writes nothing', async () => {
    const a = await addAccount(t.db, { zones: 2 });
    const other = await addAccount(t.db);
    const before = await countRows(t.db, 'reading');
    const cases: [Parameters<typeof submitReading>[1], string][] = [
      [{ account: '9999999999', values: ['1', '2'] }, 'ACCOUNT_NOT_FOUND'],
      [{ account: a.number, values: ['1'] }, 'ZONE_COUNT_MISMATCH'],
      [{ account: a.number, values: ['-1', '2'] }, 'VALUE_NEGATIVE'],
      [{ account: a.number, values: ['1234567', '2'] }, 'VALUE_TOO_LONG'],
      [{ account: a.number, values: ['1', '2'], takenAt: '2026-12-01T00:00:00Z' }, 'TAKEN_IN_FUTURE'],
      [{ account: a.number, meter: other.serial, values: ['1', '2'] }, 'METER_OF_ANOTHER_ACCOUNT'],
      [{ meter: 'NOPE-123', values: ['1'] }, 'METER_NOT_FOUND'],
    ];
    for (const [input, code] of cases) {
      const r = await submitReading(at('2026-11-20T10:00:00Z'), input);
      expect(r, code).toMatchObject({ outcome: 'invalid', reason: { code } });
      expect(r.message.length).toBeGreaterThan(10);
    }
    expect(await countRows(t.db, 'reading')).toBe(before);
  });

  it('an expired verification or a closed account refuses', async () => {
    const expired = await addAccount(t.db, { nextVerificationOn: '2026-11-01' });
    const closed = await addAccount(t.db, { status: 'closed' });
    const r1 = await submitReading(at('2026-11-20T10:00:00Z'), { account: expired.number, values: ['5'] });
    expect(r1.reason?.code).toBe('METER_VERIFICATION_EXPIRED');
    expect(r1.message).toContain('1 ноября 2026 г.');
    const r2 = await submitReading(at('2026-11-20T10:00:00Z'), { account: closed.number, values: ['5'] });
    expect(r2.reason?.code).toBe('ACCOUNT_INACTIVE');
  });

  it('a failed meter still takes a reading taken before the day it failed (§3 validity on a date)', async () => {
    const a = await addAccount(t.db, { meterStatus: 'failed' });
    await sql`UPDATE meter SET failed_on = '2026-11-10', failure_reason = 'нет индикации' WHERE id = ${a.meterId}`.execute(
      t.db,
    );
    const before = await submitReading(at('2026-11-20T10:00:00Z'), {
      account: a.number,
      values: ['50'],
      takenAt: '2026-11-09T10:00:00+03:00',
      channel: 'paper',
    });
    expect(before).toMatchObject({ outcome: 'accepted', period: '2026-11' });
    const after = await submitReading(at('2026-11-20T10:00:00Z'), { account: a.number, values: ['60'] });
    expect(after).toMatchObject({
      outcome: 'invalid',
      reason: { code: 'METER_FAILED', params: { date: '2026-11-10' } },
    });
    expect(after.message).toContain('с 10 ноября 2026 г.');
  });

  it('rule 7: a later submission replaces the earlier; both stay in history; the baseline is the previous period', async () => {
    const a = await addAccount(t.db);
    await submitReading(at('2026-10-20T10:00:00Z'), { account: a.number, values: ['100'] });
    const first = await submitReading(at('2026-11-16T10:00:00Z'), {
      account: a.number,
      values: ['190'],
      channel: 'portal',
    });
    // A correction lower than the first submission but above October's reading is accepted.
    const second = await submitReading(at('2026-11-18T10:00:00Z'), {
      account: a.number,
      values: ['180'],
      channel: 'portal',
    });
    expect(second).toMatchObject({ outcome: 'accepted', replacesReadingId: first.readingId });
    expect(second.values[0]?.consumptionWh).toBe(80_000);
    expect(second.message).toContain('заменяют');
    const history = await sql<{ id: number; effective_status: string }>`
      SELECT id, effective_status FROM reading_effective WHERE meter_id = ${a.meterId} ORDER BY id`.execute(
      t.db,
    );
    expect(history.rows.map((r) => r.effective_status)).toEqual(['accepted', 'superseded', 'accepted']);
  });

  it('rejected readings are kept in history with their reason but count for nothing', async () => {
    const a = await addAccount(t.db);
    await submitReading(at('2026-10-20T10:00:00Z'), { account: a.number, values: ['5000'] });
    const low = await submitReading(at('2026-11-20T10:00:00Z'), { account: a.number, values: ['4000'] });
    expect(low).toMatchObject({ outcome: 'rejected', reason: { code: 'LOWER_THAN_PREVIOUS' } });
    expect(low.message).toContain('меньше предыдущего');
    const ok = await submitReading(at('2026-11-21T10:00:00Z'), { account: a.number, values: ['5100'] });
    expect(ok).toMatchObject({ outcome: 'accepted', replacesReadingId: undefined });
  });

  it('idempotency: the same message twice is one submission and gets the same answer', async () => {
    const a = await addAccount(t.db);
    const msg = { account: a.number, values: ['77'], channel: 'sms' as const, externalId: 'smsc-42' };
    const r1 = await submitReading(at('2026-11-20T10:00:00Z'), msg);
    const r2 = await submitReading(at('2026-11-20T10:05:00Z'), msg);
    expect(r2).toEqual({ ...r1, duplicate: true });
    expect(
      await sql`SELECT 1 FROM reading WHERE meter_id = ${a.meterId}`.execute(t.db).then((r) => r.rows.length),
    ).toBe(1);
    const conflict = await submitReading(at('2026-11-20T10:06:00Z'), { ...msg, values: ['78'] });
    expect(conflict).toMatchObject({ outcome: 'invalid', reason: { code: 'IDEMPOTENCY_CONFLICT' } });
    // The same external id on another channel is another message.
    const email = await submitReading(at('2026-11-20T10:07:00Z'), { ...msg, channel: 'email' });
    expect(email).toMatchObject({ outcome: 'accepted', duplicate: false });
  });

  it('a repeat gets the first answer even after the account changed; by phone too', async () => {
    const a = await addAccount(t.db, { phones: ['+79165550001'] });
    const bySms = { phone: '+79165550001', values: ['12'], channel: 'sms' as const, externalId: 'smsc-77' };
    const first = await submitReading(at('2026-11-20T10:00:00Z'), bySms);
    expect(first.outcome).toBe('accepted');
    await sql`UPDATE account SET status = 'closed' WHERE id = ${a.accountId}`.execute(t.db);
    const again = await submitReading(at('2026-11-21T10:00:00Z'), bySms);
    expect(again).toEqual({ ...first, duplicate: true });
    const byNumber = { account: a.number, values: ['13'], channel: 'email' as const, externalId: 'mail-1' };
    await sql`UPDATE account SET status = 'active' WHERE id = ${a.accountId}`.execute(t.db);
    const r1 = await submitReading(at('2026-11-21T10:00:00Z'), byNumber);
    await sql`UPDATE account SET status = 'closed' WHERE id = ${a.accountId}`.execute(t.db);
    expect(await submitReading(at('2026-11-22T10:00:00Z'), byNumber)).toEqual({ ...r1, duplicate: true });
  });

  it('idempotency holds when the repeats race each other', async () => {
    const a = await addAccount(t.db);
    const msg = { account: a.number, values: ['33'], channel: 'sms' as const, externalId: 'race-1' };
    const results = await Promise.all(
      Array.from({ length: 10 }, () => submitReading(at('2026-11-20T10:00:00Z'), msg)),
    );
    expect(new Set(results.map((r) => r.readingId)).size).toBe(1);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(await countRowsOf(a.meterId)).toBe(1);
  });

  it('50 parallel submissions for one meter leave a consistent history', async () => {
    const a = await addAccount(t.db);
    await submitReading(at('2026-10-20T10:00:00Z'), { account: a.number, values: ['1000'] });
    const values = Array.from({ length: 50 }, (_, i) => 1001 + ((i * 37) % 50));
    const results = await Promise.all(
      values.map((v, i) =>
        submitReading(at('2026-11-20T10:00:00Z'), {
          account: a.number,
          values: [String(v)],
          externalId: `p-${i}`,
          channel: 'app',
        }),
      ),
    );
    expect(results.every((r) => r.outcome === 'accepted')).toBe(true);
    const rows = await sql<{
      id: number;
      period: string;
      effective_status: string;
      consumption_wh: number[];
    }>`
      SELECT id, period, effective_status, consumption_wh FROM reading_effective
      WHERE meter_id = ${a.meterId} AND period = '2026-11' ORDER BY id`.execute(t.db);
    expect(rows.rows).toHaveLength(50);
    // Exactly one counts for the period: the last one written; all others are superseded.
    expect(rows.rows.filter((r) => r.effective_status === 'accepted')).toHaveLength(1);
    expect(rows.rows.at(-1)?.effective_status).toBe('accepted');
    // Every submission was judged against October's reading (never against a sibling of the same period)…
    for (const r of rows.rows) expect(r.consumption_wh[0]).toBeLessThanOrEqual(50_000);
    // …and each one after the first names the one it replaced, in commit order: a single chain.
    const replaced = results.map((r) => r.replacesReadingId).filter((x) => x !== undefined);
    expect(new Set(replaced).size).toBe(49);
  });

  it('rule 8: a reading for an already billed period becomes a recalculation in the next bill', async () => {
    const a = await addAccount(t.db);
    await sql`INSERT INTO billing_period (region_code, period, closed_at) VALUES ('moscow', '2026-10', now())`.execute(
      t.db,
    );
    const r = await submitReading(at('2026-11-02T10:00:00Z'), {
      account: a.number,
      values: ['40'],
      takenAt: '2026-10-25T10:00:00Z',
      channel: 'paper',
    });
    expect(r).toMatchObject({
      outcome: 'accepted',
      period: '2026-10',
      billedInPeriod: '2026-11',
      recalculation: true,
    });
    expect(r.message).toContain('перерасчётом');
    await sql`DELETE FROM billing_period`.execute(t.db);
  });

  it('a Yakutia reading on 5 December local counts for November; the window is judged at 00:00 local', async () => {
    const a = await addAccount(t.db, { region: 'yakutia' });
    const r = await submitReading(at('2026-12-05T03:00:00Z'), { account: a.number, values: ['10'] });
    expect(r).toMatchObject({
      outcome: 'accepted',
      period: '2026-11',
      window: { opens: '2026-12-01', closes: '2026-12-10', inWindow: true },
    });
    // 15:00 UTC on 10 Dec is 00:00 on 11 Dec in Yakutsk: December.
    const late = await submitReading(at('2026-12-10T15:00:00Z'), { account: a.number, values: ['20'] });
    expect(late.period).toBe('2026-12');
  });

  it('a control reading by an inspector is a fact of its own kind: not replaced by the subscriber, but the baseline', async () => {
    const a = await addAccount(t.db);
    await submitReading(at('2026-09-20T10:00:00Z'), { account: a.number, values: ['100'] });
    const control = await submitReading(at('2026-10-10T10:00:00Z'), {
      account: a.number,
      values: ['180'],
      channel: 'inspector',
      kind: 'control',
    });
    expect(control).toMatchObject({ outcome: 'accepted', period: '2026-10' });
    const own = await submitReading(at('2026-10-20T10:00:00Z'), {
      account: a.number,
      values: ['190'],
      channel: 'sms',
    });
    expect(own).toMatchObject({ outcome: 'accepted', replacesReadingId: undefined });
    const rows = await sql<{ kind: string; effective_status: string }>`
      SELECT kind, effective_status FROM reading_effective WHERE meter_id = ${a.meterId} AND period = '2026-10'
      ORDER BY id`.execute(t.db);
    expect(rows.rows).toEqual([
      { kind: 'control', effective_status: 'accepted' },
      { kind: 'regular', effective_status: 'accepted' },
    ]);
    // November is judged against the latest accepted reading of October, whatever its kind.
    const nov = await submitReading(at('2026-11-20T10:00:00Z'), { account: a.number, values: ['185'] });
    expect(nov).toMatchObject({ outcome: 'rejected', reason: { code: 'LOWER_THAN_PREVIOUS' } });
  });

  it('holds an implausible consumption for review', async () => {
    const a = await addAccount(t.db, { commissionedOn: '2026-06-01' });
    for (const [month, v] of [
      ['06', 100],
      ['07', 300],
      ['08', 500],
      ['09', 700],
      ['10', 900],
    ] as const) {
      await submitReading(at(`2026-${month}-20T10:00:00Z`), { account: a.number, values: [String(v)] });
    }
    const r = await submitReading(at('2026-11-20T10:00:00Z'), {
      account: a.number,
      values: ['9900'],
      channel: 'app',
    });
    expect(r).toMatchObject({ outcome: 'held', reason: { code: 'HIGH_CONSUMPTION' } });
    expect(r.message).toContain('на проверку');
  });
});

async function countRowsOf(meterId: number): Promise<number> {
  const r = await sql<{
    n: number;
  }>`SELECT count(*)::int AS n FROM reading WHERE meter_id = ${meterId}`.execute(t.db);
  return r.rows[0]!.n;
}
