/**
 * "Pay by readings" (domain.md §9): in the window only, the readings, the recalculated amount and a card
 * payment in one flow — over real HTTP, a real PostgreSQL and the sandbox payment provider.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quoteByReadings } from '../../src/billing/index.ts';
import { postCharge, submitPayment } from '../../src/ledger/index.ts';
import { addNorms, addTariffs, bill, reading } from '../support/billing.ts';
import {
  CARDS,
  type CardWorld,
  payOnPage,
  startCardWorld,
  testClock,
  waitFor,
} from '../support/card-payment.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { addAccount, type TestAccount } from '../support/fixtures.ts';

// biome-ignore lint/suspicious/noExplicitAny: JSON answers, checked field by field
type Json = Record<string, any>;

const IN_WINDOW = '2026-11-20T10:00:00Z'; // 13:00 in Moscow, inside the 15–26 window (§4.3)
const DAY = 86_400_000;

let t: TestDatabase;
let w: CardWorld;
let single: TestAccount; // single-rate, one decimal
let zoned: TestAccount; // two-zone, in a house with common needs (§7 full, by the norm)
let owing: TestAccount; // no bill yet, a charge posted by an operator
let ahead: TestAccount; // no bill yet, an advance paid
let spare: TestAccount; // for the flow's refusals
let heavy: TestAccount; // a reading far above usual
let estimated: TestAccount; // October billed by the norm, no reading

const ledger = () => ({ db: t.db, clock: w.clock });
const quoteDeps = () => ({ db: t.db, clock: w.clock });

async function post(url: string, body: object, key?: string): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${w.abonentUrl}${url}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${w.key}`,
      'content-type': 'application/json',
      ...(key ? { 'idempotency-key': key } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

const quote = (account: string, values: string[]) =>
  post(`/api/v1/accounts/${account}/pay-by-readings/quote`, { values });
const pay = (account: string, body: Json, key?: string) =>
  post(
    `/api/v1/accounts/${account}/pay-by-readings`,
    { returnUrl: 'https://lk.example.ru/paid', ...body },
    key,
  );

async function counts(a: TestAccount) {
  const r = await sql<{ readings: number; cards: number; rows: number; payments: number }>`
    SELECT (SELECT count(*)::int FROM reading WHERE account_id = ${a.accountId}) AS readings,
           (SELECT count(*)::int FROM card_payment WHERE account_id = ${a.accountId}) AS cards,
           (SELECT count(*)::int FROM pay_by_readings WHERE account_id = ${a.accountId}) AS rows,
           (SELECT count(*)::int FROM payment WHERE account_id = ${a.accountId}) AS payments`.execute(t.db);
  return r.rows[0]!;
}

/** Runs `fn` with the shared clock moved by `ms`, then moves it back. */
async function at<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  w.clock.advance(ms);
  try {
    return await fn();
  } finally {
    w.clock.advance(-ms);
  }
}

beforeAll(async () => {
  t = await createTestDatabase();
  await addTariffs(t.db); // single 8.00; two-zone day 9.45, night 4.08 (E6)
  await addNorms(t.db); // common norm 0.683 kWh/m² (E4)
  single = await addAccount(t.db, { decimals: 1, initial: [1_000_000], commissionedOn: '2026-09-01' });
  zoned = await addAccount(t.db, {
    zones: 2,
    decimals: 1,
    initial: [2_000_000, 500_000],
    commissionedOn: '2026-09-01',
  });
  await sql`UPDATE house SET common_needs_mode = 'full'
            WHERE id = (SELECT house_id FROM meter WHERE id = ${zoned.meterId})`.execute(t.db);
  estimated = await addAccount(t.db, { initial: [500_000], commissionedOn: '2026-09-01' });
  await reading(t.db, single.number, ['1150'], '2026-10-20T09:00:00+03:00');
  await reading(t.db, zoned.number, [2100, 540], '2026-10-20T09:00:00+03:00');
  // October is billed and issued on 2 November: its charges are debt in the ledger, due 16 November.
  const october = await bill(t, '2026-10');
  expect(october.refused).toBeUndefined();
  expect(october.problems ?? []).toEqual([]);
  owing = await addAccount(t.db, { initial: [500_000], commissionedOn: '2026-09-01' });
  ahead = await addAccount(t.db, { initial: [500_000], commissionedOn: '2026-09-01' });
  spare = await addAccount(t.db, { initial: [500_000], commissionedOn: '2026-09-01' });
  heavy = await addAccount(t.db, { initial: [500_000], commissionedOn: '2026-09-01' });
  w = await startCardWorld(t, { clock: testClock(IN_WINDOW) });
});
afterAll(async () => {
  await w?.close();
  await t?.drop();
});

describe('the quote (writes nothing)', () => {
  it('single-rate: consumption since the last billed reading at the tariff, plus the unpaid October bill', async () => {
    const before = await counts(single);
    const r = await quote(single.number, ['1350.5']);
    expect(r.status).toBe(200);
    const q = r.body;
    expect(q).toMatchObject({ period: '2026-11', today: '2026-11-20' });
    expect(q.window).toEqual({ opens: '2026-11-15', closes: '2026-11-26' });
    expect(q.registers).toEqual([
      expect.objectContaining({
        zone: 'single',
        previous: '1150.0',
        current: '1350.5',
        consumptionWh: 200_500,
      }),
    ]);
    // 200.5 kWh × 8.00 = 1,604.00
    expect(q.lines).toEqual([
      expect.objectContaining({
        kind: 'consumption',
        zone: 'single',
        previous: '1150.0',
        current: '1350.5',
        volumeWh: 200_500,
        priceKopecksPerKwh: 800,
        amountKopecks: 160_400,
      }),
    ]);
    expect(q.chargeKopecks).toBe(160_400);
    expect(q.commonNeeds).toEqual({ estimate: true, amountKopecks: 0, fromPeriod: '2026-10' });
    // October: 150 kWh × 8.00 = 1,200.00, not paid yet.
    expect(q.balance).toMatchObject({ balanceKopecks: 120_000, debtKopecks: 120_000, advanceKopecks: 0 });
    expect(q.amountToPayKopecks).toBe(280_400);
    expect(q.bill).toEqual({ period: '2026-11', deliverBy: '2026-12-05', dueDate: '2026-12-15' });
    expect(q.message).toContain('К оплате: 2\u00a0804,00\u00a0₽');
    expect(q.messageEn).toContain('To pay: RUB 2,804.00');
    expect(await counts(single)).toEqual(before);
  });

  it('two-zone: each zone at its price, rounded half up per line; common needs estimated from the last bill', async () => {
    const r = await quote(zoned.number, ['2230.7', '580.3']);
    expect(r.status).toBe(200);
    const q = r.body;
    // day 130.7 kWh × 9.45 = 1,235.115 → 1,235.12; night 40.3 kWh × 4.08 = 164.424 → 164.42
    expect(
      q.lines.map((l: Json) => [
        l.zone,
        l.previous,
        l.current,
        l.volumeWh,
        l.priceKopecksPerKwh,
        l.amountKopecks,
      ]),
    ).toEqual([
      ['day', '2100.0', '2230.7', 130_700, 945, 123_512],
      ['night', '540.0', '580.3', 40_300, 408, 16_442],
    ]);
    expect(q.chargeKopecks).toBe(139_954);
    // §7 full, no common meter: 0.683 × 10 m² × 50/50 = 6.83 kWh × 8.00 = 54.64 on the October bill.
    expect(q.commonNeeds).toEqual({ estimate: true, amountKopecks: 5_464, fromPeriod: '2026-10' });
    // October: day 100 × 9.45 = 945.00 + night 40 × 4.08 = 163.20 + common needs 54.64 = 1,162.84.
    expect(q.balance.balanceKopecks).toBe(116_284);
    expect(q.estimatedChargeKopecks).toBe(139_954 + 5_464);
    expect(q.amountToPayKopecks).toBe(116_284 + 139_954 + 5_464);
    expect(q.explanation.ru.join(' ')).toContain('Общедомовые нужды — оценка по счёту за октябрь 2026 г.');
  });

  it('after a month billed by the norm: the true-up of §6.4, nothing charged twice', async () => {
    const r = await quote(estimated.number, ['900']);
    expect(r.status).toBe(200);
    // October billed by the norm: 2 residents × 74 kWh = 148 kWh × 8.00 = 1,184.00 (E2), unpaid.
    expect(r.body.balance.balanceKopecks).toBe(118_400);
    // 900 − 500 (act) = 400 kWh measured, less 148 kWh billed for October = 252 kWh × 8.00 = 2,016.00.
    expect(r.body.registers[0]).toMatchObject({ previous: '500', current: '900', consumptionWh: 400_000 });
    expect(r.body.lines).toEqual([
      expect.objectContaining({
        kind: 'recalculation',
        volumeWh: 252_000,
        amountKopecks: 201_600,
        periods: ['2026-10', '2026-11'],
      }),
    ]);
    // Together: the 400 kWh at 8.00 once.
    expect(r.body.amountToPayKopecks).toBe(320_000);
    expect(r.body.message).toContain('перерасчёт');
  });

  it('outside the window: WINDOW_CLOSED with the next window and the amount to pay instead', async () => {
    const r = await at(8 * DAY, () => quote(single.number, ['1350.5'])); // 28 November
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('WINDOW_CLOSED');
    expect(r.body.refusal.params).toMatchObject({
      opens: '2026-12-15',
      closes: '2026-12-26',
      amountDueKopecks: 120_000,
    });
    expect(r.body.error.message).toContain('Оплатите сумму по счёту');
    expect(r.body.error.messageEn).toContain('pay the bill amount instead');
  });

  it('a value lower than the previous reading is refused as the intake would (§4 rule 4)', async () => {
    const r = await quote(single.number, ['1100']);
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('LOWER_THAN_PREVIOUS');
    expect(r.body.refusal.kind).toBe('rejected');
    const bad = await quote(single.number, ['12.34']);
    expect(bad.body.error.code).toBe('VALUE_PRECISION');
    const zones = await quote(zoned.number, ['2230']);
    expect(zones.body.error.code).toBe('ZONE_COUNT_MISMATCH');
    const unknown = await quote('9999999999', ['1']);
    expect(unknown.status).toBe(404);
  });

  it('a debt posted in the ledger is added to the amount', async () => {
    await postCharge(ledger(), {
      account: owing.number,
      amountKopecks: 50_000,
      key: `test-debt-${owing.number}`,
      memo: 'debt handed over',
      by: 'test',
      period: '2026-10',
      dueDate: '2026-11-16',
      item: 'energy',
    });
    const r = await quoteByReadings(quoteDeps(), { account: owing.number, values: ['620'] });
    if (r.outcome !== 'quoted') throw new Error(JSON.stringify(r));
    // 620 − 500 (the commissioning act) = 120 kWh × 8.00 = 960.00; + 500.00 owed
    expect(r.quote.chargeKopecks).toBe(96_000);
    expect(r.quote.balance).toMatchObject({
      balanceKopecks: 50_000,
      debtKopecks: 50_000,
      overdueKopecks: 50_000,
    });
    expect(r.quote.amountToPayKopecks).toBe(146_000);
  });

  it('an advance reduces the amount, and never below zero', async () => {
    await submitPayment(ledger(), {
      channel: 'cash_desk',
      externalId: `test-advance-${ahead.number}`,
      account: ahead.number,
      amountKopecks: 30_000,
      paidAt: '2026-11-10T09:00:00Z',
    });
    const r = await quoteByReadings(quoteDeps(), { account: ahead.number, values: ['620'] });
    if (r.outcome !== 'quoted') throw new Error(JSON.stringify(r));
    expect(r.quote.balance).toMatchObject({ balanceKopecks: -30_000, advanceKopecks: 30_000 });
    expect(r.quote.amountToPayKopecks).toBe(96_000 - 30_000);
    const small = await quoteByReadings(quoteDeps(), { account: ahead.number, values: ['520'] });
    if (small.outcome !== 'quoted') throw new Error(JSON.stringify(small));
    expect(small.quote.chargeKopecks).toBe(16_000); // 20 kWh × 8.00 < the 300.00 advance
    expect(small.quote.amountToPayKopecks).toBe(0);
  });
});

describe('the flow: readings, amount, card payment', () => {
  it('outside the window: WINDOW_CLOSED, nothing written', async () => {
    const before = await counts(spare);
    const r = await at(8 * DAY, () => pay(spare.number, { values: ['600'] }, 'closed-1'));
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('WINDOW_CLOSED');
    expect(r.body).toMatchObject({ reading: null, quote: null, payment: null });
    expect(await counts(spare)).toEqual(before);
  });

  it('a reading lower than the previous one: recorded as rejected by the intake, no payment', async () => {
    const before = await counts(single);
    const r = await pay(single.number, { values: ['1100'] }, 'lower-1');
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('LOWER_THAN_PREVIOUS');
    expect(r.body.reading).toMatchObject({ outcome: 'rejected', channel: 'portal' });
    expect(r.body.payment).toBeNull();
    const after = await counts(single);
    expect(after.cards).toBe(before.cards);
    expect(after.readings).toBe(before.readings + 1);
  });

  it('a reading far above usual is held for an operator (§4 rule 5): recorded, no payment', async () => {
    // No history: held above 3,000 kWh a month; 7,000 kWh in the two months since the act.
    const q = await quote(heavy.number, ['7500']);
    expect(q.status).toBe(422);
    expect(q.body.refusal).toMatchObject({ code: 'HIGH_CONSUMPTION', kind: 'held' });
    const r = await pay(heavy.number, { values: ['7500'] }, 'held-1');
    expect(r.status).toBe(202);
    expect(r.body.reading).toMatchObject({ outcome: 'held', channel: 'portal' });
    expect(r.body.refusal.code).toBe('HIGH_CONSUMPTION');
    expect(r.body.payment).toBeNull();
    expect(await counts(heavy)).toMatchObject({ readings: 1, cards: 0, rows: 1 });
  });

  it('invalid values: refused before the intake, nothing written', async () => {
    const before = await counts(spare);
    const r = await pay(spare.number, { values: ['6OO'] }, 'invalid-1');
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('VALUE_INVALID');
    expect(await counts(spare)).toEqual(before);
  });

  it('requires an Idempotency-Key', async () => {
    const r = await pay(spare.number, { values: ['600'] });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
  });

  it('submits the reading and starts a card payment for the quoted amount; a retry changes nothing', async () => {
    const expected = await quote(single.number, ['1350.5']);
    const r = await pay(single.number, { values: ['1350.5'] }, 'pay-1');
    expect(r.status).toBe(201);
    const a = r.body;
    expect(a.reading).toMatchObject({
      outcome: 'accepted',
      period: '2026-11',
      channel: 'portal',
      duplicate: false,
    });
    expect(a.quote.amountToPayKopecks).toBe(280_400);
    expect(a.quote.lines).toEqual(expected.body.lines);
    expect(a.payment).toMatchObject({ status: 'pending', amountKopecks: 280_400 });
    expect(a.payment.confirmationUrl).toMatch(new RegExp(`^${w.sandboxUrl}/checkout/`));
    expect(a.duplicate).toBe(false);

    const row = await sql<Json>`
      SELECT r.values_wh AS "valuesWh", r.status, r.channel, r.external_id AS "externalId", r.period,
             c.amount_kopecks AS "amountKopecks", c.status AS "cardStatus"
      FROM reading r, card_payment c
      WHERE r.id = ${a.reading.readingId} AND c.id = ${a.payment.id}`.execute(t.db);
    expect(row.rows[0]).toEqual({
      valuesWh: [1_350_500],
      status: 'accepted',
      channel: 'portal',
      externalId: 'pay-by-readings:pay-1',
      period: '2026-11',
      amountKopecks: 280_400,
      cardStatus: 'pending',
    });

    const before = await counts(single);
    const again = await pay(single.number, { values: ['1350.5'] }, 'pay-1');
    expect(again.status).toBe(200);
    expect(again.body.duplicate).toBe(true);
    expect(again.body.reading).toEqual(a.reading);
    expect(again.body.quote).toEqual(a.quote);
    expect(again.body.payment).toEqual(a.payment);
    expect(await counts(single)).toEqual(before);

    const other = await pay(single.number, { values: ['1350.6'] }, 'pay-1');
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('IDEMPOTENCY_CONFLICT');
    expect(await counts(single)).toEqual(before);
  });

  it('after the payer pays, a retry still answers the same amount; the new balance is an advance', async () => {
    const first = await pay(single.number, { values: ['1350.5'] }, 'pay-1');
    const paid = await payOnPage(first.body.payment.confirmationUrl, CARDS.ok);
    expect(paid.status).toBe(303);
    await waitFor('the card payment credited', async () => {
      const r = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM payment WHERE account_id = ${single.accountId} AND channel = 'card'`.execute(
        t.db,
      );
      return r.rows[0]!.n === 1 ? true : undefined;
    });
    const retry = await pay(single.number, { values: ['1350.5'] }, 'pay-1');
    expect(retry.status).toBe(200);
    expect(retry.body.quote.amountToPayKopecks).toBe(280_400);
    expect(retry.body.payment).toMatchObject({
      id: first.body.payment.id,
      status: 'succeeded',
      confirmationUrl: null,
    });
    expect((await counts(single)).cards).toBe(1);

    // 2,804.00 paid against 1,200.00 owed: 1,604.00 advance covers November's 1,604.00 exactly.
    const now = await quote(single.number, ['1350.5']);
    expect(now.body.balance).toMatchObject({ balanceKopecks: -160_400, advanceKopecks: 160_400 });
    expect(now.body.amountToPayKopecks).toBe(0);
    const nothing = await pay(single.number, { values: ['1350.5'] }, 'pay-2');
    expect(nothing.status).toBe(200);
    expect(nothing.body.payment).toBeNull();
    expect(nothing.body.refusal.code).toBe('NOTHING_TO_PAY');
    expect((await counts(single)).cards).toBe(1);
  });

  it('the payer may pay another amount, within the card limit', async () => {
    const own = await pay(zoned.number, { values: ['2230', '580'], amountKopecks: 100_000 }, 'own-1');
    expect(own.status).toBe(201);
    expect(own.body.payment.amountKopecks).toBe(100_000);
    expect(own.body.quote.amountToPayKopecks).toBe(116_284 + 139_170 + 5_464);
    const over = await pay(zoned.number, { values: ['2230', '580'], amountKopecks: 5_000_001 }, 'own-2');
    expect(over.status).toBe(422);
    expect(over.body.error.code).toBe('AMOUNT_OVER_LIMIT');
    expect(over.body.reading.outcome).toBe('accepted');
    expect(over.body.payment).toBeNull();
    expect((await counts(zoned)).cards).toBe(1);
  });

  it('the same Idempotency-Key sent concurrently: one reading, one card payment', async () => {
    const answers = await Promise.all(
      [1, 2, 3, 4].map(() => pay(spare.number, { values: ['600'] }, 'race-1')),
    );
    const ids = new Set(answers.map((r) => r.body.payment?.id));
    expect(answers.map((r) => r.status).sort()).toEqual(expect.arrayContaining([201]));
    expect(ids.size).toBe(1);
    const c = await counts(spare);
    expect(c).toMatchObject({ readings: 1, cards: 1, rows: 1 });
    // 100 kWh × 8.00
    expect(answers[0]!.body.payment.amountKopecks).toBe(80_000);
  });
});
