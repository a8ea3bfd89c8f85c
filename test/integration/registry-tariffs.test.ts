import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows } from '../support/fixtures.ts';
import { expectAnswer, openRegistryApi, type RegistryApi } from '../support/registry-api.ts';

let api: RegistryApi;
beforeAll(async () => {
  api = await openRegistryApi('2026-11-20T10:00:00Z');
});
afterAll(async () => {
  await api?.close();
});

const tariff = (o: Record<string, unknown>) => ({
  region: 'moscow',
  category: 'gas_stove',
  meterType: 'single',
  zone: 'single',
  effectiveFrom: '2025-07-01',
  illustrative: true,
  ...o,
});

describe('tariffs (§6.3): effective-dated, zones of the meter type, volume ranges', () => {
  it('E6 Moscow gas stove H2 2025 in rubles or kopecks; the list answers what is in force on a date', async () => {
    const rows = [
      tariff({ price: '7.00', effectiveFrom: '2025-01-01' }),
      tariff({ price: '7,87' }),
      tariff({ meterType: 'two_zone', zone: 'day', price: '9.45' }),
      tariff({ meterType: 'two_zone', zone: 'night', priceKopecks: 408 }),
      tariff({ meterType: 'three_zone', zone: 'peak', price: 11.24 }),
      tariff({ meterType: 'three_zone', zone: 'night', price: '4.08' }),
      tariff({ meterType: 'three_zone', zone: 'half_peak', price: '7.87' }),
    ];
    for (const t of rows) expectAnswer(await api.post('/api/v1/tariffs', t), 201);
    const h2 = await api.get('/api/v1/tariffs?region=moscow&on=2025-08-01');
    expect(h2.body.on).toBe('2025-08-01');
    expect(
      h2.body.tariffs.map((t: { meterType: string; zone: string; price: string; priceKopecks: number }) => [
        t.meterType,
        t.zone,
        t.price,
        t.priceKopecks,
      ]),
    ).toEqual([
      ['single', 'single', '7.87', 787],
      ['two_zone', 'day', '9.45', 945],
      ['two_zone', 'night', '4.08', 408],
      ['three_zone', 'peak', '11.24', 1124],
      ['three_zone', 'night', '4.08', 408],
      ['three_zone', 'half_peak', '7.87', 787],
    ]);
    const h1 = await api.get('/api/v1/tariffs?region=moscow&on=2025-03-01');
    expect(h1.body.tariffs).toEqual([
      expect.objectContaining({
        zone: 'single',
        price: '7.00',
        effectiveFrom: '2025-01-01',
        on: '2025-03-01',
      }),
    ]);
    expect((await api.get('/api/v1/tariffs?region=moscow&on=2024-12-31')).body.tariffs).toEqual([]);
    // Without a date: the region's local today (2026-11-20) → the H2 2025 schedule is still in force.
    const today = await api.get('/api/v1/tariffs?region=moscow&meterType=single');
    expect(today.body.tariffs).toEqual([expect.objectContaining({ price: '7.87', on: '2026-11-20' })]);
  });

  it('volume ranges: a new schedule replaces the old one as a whole; overlaps are refused', async () => {
    const ranged = (from: number, to: number | null, price: string) =>
      tariff({
        category: 'electric_stove',
        effectiveFrom: '2026-01-01',
        rangeFromKwh: from,
        rangeToKwh: to,
        price,
      });
    expectAnswer(
      await api.post('/api/v1/tariffs', tariff({ category: 'electric_stove', price: '5.51' })),
      201,
    );
    expectAnswer(await api.post('/api/v1/tariffs', ranged(0, 3900, '5.68')), 201);
    expectAnswer(await api.post('/api/v1/tariffs', ranged(3900, 6000, '7.01')), 201);
    expectAnswer(await api.post('/api/v1/tariffs', ranged(6000, null, '9.80')), 201);
    const before = await countRows(api.t.db, 'tariff');
    const overlap = await api.post('/api/v1/tariffs', ranged(3000, 5000, '6.00'));
    expectAnswer(overlap, 409, 'TARIFF_RANGE_OVERLAP');
    expect(overlap.body.error.details).toEqual({ existing: { fromKwh: 0, toKwh: 3900 } });
    expectAnswer(await api.post('/api/v1/tariffs', ranged(5000, null, '6.00')), 409, 'TARIFF_RANGE_OVERLAP');
    expect(await countRows(api.t.db, 'tariff')).toBe(before);
    const list = await api.get('/api/v1/tariffs?region=moscow&on=2026-02-01&category=electric_stove');
    expect(
      list.body.tariffs.map((t: { rangeFromKwh: number; rangeToKwh: number | null }) => [
        t.rangeFromKwh,
        t.rangeToKwh,
      ]),
    ).toEqual([
      [0, 3900],
      [3900, 6000],
      [6000, null],
    ]);
  });

  it('bad tariffs: reason codes, nothing written', async () => {
    const before = await countRows(api.t.db, 'tariff');
    const cases: [object, number, string][] = [
      [tariff({ meterType: 'two_zone', zone: 'peak', price: '1' }), 422, 'TARIFF_ZONE_MISMATCH'],
      [tariff({ meterType: 'single', zone: 'night', price: '1' }), 422, 'TARIFF_ZONE_MISMATCH'],
      [tariff({ price: '7.87' }), 409, 'TARIFF_EXISTS'],
      [tariff({ price: '7.875', effectiveFrom: '2027-01-01' }), 422, 'AMOUNT_INVALID'],
      [tariff({ price: '-1', effectiveFrom: '2027-01-01' }), 422, 'AMOUNT_INVALID'],
      [tariff({ price: '0', effectiveFrom: '2027-01-01' }), 422, 'AMOUNT_INVALID'],
      [
        tariff({ rangeFromKwh: 100, rangeToKwh: 50, price: '1', effectiveFrom: '2027-01-01' }),
        422,
        'TARIFF_RANGE_INVALID',
      ],
      [tariff({ region: 'atlantis', price: '1' }), 422, 'REGION_NOT_FOUND'],
      [tariff({ price: '1', priceKopecks: 100 }), 400, 'VALIDATION_FAILED'],
      [tariff({}), 400, 'VALIDATION_FAILED'],
      [tariff({ category: 'industry', price: '1' }), 400, 'VALIDATION_FAILED'],
      [tariff({ price: '1', vat: true }), 400, 'VALIDATION_FAILED'],
    ];
    for (const [payload, status, code] of cases)
      expectAnswer(await api.post('/api/v1/tariffs', payload), status, code);
    expect(await countRows(api.t.db, 'tariff')).toBe(before);
    expectAnswer(await api.get('/api/v1/tariffs?on=2025-13-01'), 400, 'VALIDATION_FAILED');
    expectAnswer(await api.get('/api/v1/tariffs?region=atlantis'), 422, 'REGION_NOT_FOUND');
  });
});

describe('norms (§6.1 item 4) and common-needs norms (§7)', () => {
  it('norms in kWh per person, in force on a date', async () => {
    const norm = (o: Record<string, unknown>) => ({
      region: 'moscow',
      stoveType: 'gas',
      rooms: 2,
      residents: 2,
      effectiveFrom: '2025-01-01',
      illustrative: true,
      ...o,
    });
    expectAnswer(await api.post('/api/v1/norms', norm({ kwhPerPerson: '74' })), 201);
    expectAnswer(
      await api.post('/api/v1/norms', norm({ kwhPerPerson: '76.5', effectiveFrom: '2026-07-01' })),
      201,
    );
    expectAnswer(await api.post('/api/v1/norms', norm({ rooms: 1, residents: 1, kwhPerPerson: 134 })), 201);
    expectAnswer(await api.post('/api/v1/norms', norm({ kwhPerPerson: '80' })), 409, 'NORM_EXISTS');
    expectAnswer(
      await api.post('/api/v1/norms', norm({ kwhPerPerson: '1.2345', effectiveFrom: '2027-01-01' })),
      422,
      'AMOUNT_INVALID',
    );
    expectAnswer(
      await api.post('/api/v1/norms', norm({ rooms: 11, kwhPerPerson: '1' })),
      400,
      'VALIDATION_FAILED',
    );
    const early = await api.get('/api/v1/norms?region=moscow&on=2026-06-30');
    expect(
      early.body.norms.map((n: { rooms: number; kwhPerPerson: string; whPerPerson: number }) => [
        n.rooms,
        n.kwhPerPerson,
        n.whPerPerson,
      ]),
    ).toEqual([
      [1, '134.000', 134_000],
      [2, '74.000', 74_000],
    ]);
    const late = await api.get('/api/v1/norms?region=moscow&on=2026-07-01');
    expect(late.body.norms[1]).toMatchObject({
      rooms: 2,
      residents: 2,
      kwhPerPerson: '76.500',
      effectiveFrom: '2026-07-01',
    });
  });

  it('common-needs norm 0.683 kWh per m² (E4)', async () => {
    expectAnswer(
      await api.post('/api/v1/common-norms', {
        region: 'moscow',
        kwhPerM2: '0.683',
        effectiveFrom: '2025-01-01',
      }),
      201,
    );
    expectAnswer(
      await api.post('/api/v1/common-norms', {
        region: 'moscow',
        kwhPerM2: '0.7',
        effectiveFrom: '2025-01-01',
      }),
      409,
      'COMMON_NORM_EXISTS',
    );
    const r = await api.get('/api/v1/common-norms?on=2025-06-01');
    expect(r.body.commonNorms).toEqual([
      {
        region: 'moscow',
        on: '2025-06-01',
        whPerM2: 683,
        kwhPerM2: '0.683',
        effectiveFrom: '2025-01-01',
        illustrative: false,
      },
    ]);
  });
});

describe('parameters', () => {
  it('lists defaults and a region’s own rows; adds a value from a date after checking its shape', async () => {
    const spb = await api.get('/api/v1/parameters?region=spb');
    expect(spb.body.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          regionCode: 'spb',
          key: 'readings_window',
          value: { fromDay: 23, toDay: 25, serves: 'same' },
        }),
        expect.objectContaining({
          regionCode: null,
          key: 'payment_due_day',
          effectiveFrom: '2026-03-01',
          value: 15,
        }),
      ]),
    );
    const before = await countRows(api.t.db, 'parameter');
    const bad: [object, number, string][] = [
      [
        {
          region: 'spb',
          key: 'readings_window',
          value: { fromDay: 26, toDay: 20, serves: 'same' },
          effectiveFrom: '2027-01-01',
        },
        422,
        'PARAMETER_VALUE_INVALID',
      ],
      [
        {
          key: 'zone_names',
          value: { '1': ['single'], '2': ['day', 'night'], '3': ['peak', 'day', 'night'] },
          effectiveFrom: '2027-01-01',
        },
        422,
        'PARAMETER_VALUE_INVALID',
      ],
      [{ key: 'payment_due_day', value: 40, effectiveFrom: '2027-01-01' }, 422, 'PARAMETER_VALUE_INVALID'],
      [{ key: 'payment_due_day', value: 15, effectiveFrom: '2026-03-01' }, 409, 'PARAMETER_EXISTS'],
      [
        { region: 'atlantis', key: 'long_gap_periods', value: 3, effectiveFrom: '2027-01-01' },
        422,
        'REGION_NOT_FOUND',
      ],
      [{ key: 'Bad Key', value: 1, effectiveFrom: '2027-01-01' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [payload, status, code] of bad)
      expectAnswer(await api.post('/api/v1/parameters', payload), status, code);
    expect(await countRows(api.t.db, 'parameter')).toBe(before);
    const ok = await api.post('/api/v1/parameters', {
      region: 'spb',
      key: 'readings_window',
      value: { fromDay: 20, toDay: 25, serves: 'same' },
      effectiveFrom: '2026-11-01',
      note: 'new window',
    });
    expectAnswer(ok, 201);
    expect(ok.body).toMatchObject({ regionCode: 'spb', key: 'readings_window', effectiveFrom: '2026-11-01' });
    expect(ok.body).not.toHaveProperty('id');
    expect(spb.body.parameters[0]).not.toHaveProperty('id');
    // The regions list shows the window in force today right away (the parameter cache was invalidated).
    const regions = await api.get('/api/v1/regions');
    expect(regions.body.regions.find((r: { code: string }) => r.code === 'spb').readingsWindow).toEqual({
      fromDay: 20,
      toDay: 25,
      serves: 'same',
    });
  });
});
