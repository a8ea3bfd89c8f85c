import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CommonNeedsInput, distributeCommonNeeds, houseCapWh } from './common-needs.ts';
import { chargeKopecks } from './money.ts';

/** §7 E4: three flats of 50 / 70 / 80 m² (S_total 200), S_common 40 m², individual 300 / 250 / 200 kWh. */
const E4: CommonNeedsInput = {
  mode: 'full',
  premises: [
    { premisesId: '1', areaCentiM2: 5_000, residential: true, individualWh: 300_000 },
    { premisesId: '2', areaCentiM2: 7_000, residential: true, individualWh: 250_000 },
    { premisesId: '3', areaCentiM2: 8_000, residential: true, individualWh: 200_000 },
  ],
  commonAreaCentiM2: 4_000,
  commonMeterWh: 1_000_000,
  normWhPerM2: 683,
};

const whs = (r: ReturnType<typeof distributeCommonNeeds>) => r.shares.map((s) => s.wh);
const at8 = (r: ReturnType<typeof distributeCommonNeeds>) => r.shares.map((s) => chargeKopecks(s.wh, 800));

describe('§7 E4 with a common meter', () => {
  it('V_common = 1,000 − 300 − 250 − 200 = 250 kWh', () => {
    const r = distributeCommonNeeds(E4);
    expect(r.commonVolumeWh).toBe(250_000);
    expect(r.log.find((n) => n.code === 'COMMON_VOLUME')?.values).toEqual({
      commonMeterWh: 1_000_000,
      residentialWh: 750_000,
      nonResidentialWh: 0,
      commonWh: 250_000,
    });
  });

  it('full: 62.5 / 87.5 / 100 kWh = 500.00 / 700.00 / 800.00 at 8.00', () => {
    const r = distributeCommonNeeds(E4);
    expect(r.method).toBe('meter');
    expect(whs(r)).toEqual([62_500, 87_500, 100_000]);
    expect(at8(r)).toEqual([50_000, 70_000, 80_000]);
    expect(r.distributedWh).toBe(250_000);
    expect(r.managementCompanyWh).toBe(0);
    expect(r.houseCapWh).toBeNull();
  });

  it('capped at 0.683 kWh/m²: house cap 27.32 kWh → 6.830 / 9.562 / 10.928 kWh = 54.64 / 76.50 / 87.42', () => {
    const r = distributeCommonNeeds({ ...E4, mode: 'capped' });
    expect(r.houseCapWh).toBe(27_320);
    expect(whs(r)).toEqual([6_830, 9_562, 10_928]);
    expect(r.shares.map((s) => s.capWh)).toEqual([6_830, 9_562, 10_928]);
    expect(at8(r)).toEqual([5_464, 7_650, 8_742]);
    expect(r.distributedWh).toBe(27_320);
  });

  it('capped: the management company pays for 222.68 kWh = 1,781.44', () => {
    const r = distributeCommonNeeds({ ...E4, mode: 'capped' });
    expect(r.managementCompanyWh).toBe(222_680);
    expect(chargeKopecks(r.managementCompanyWh, 800)).toBe(178_144);
    expect(r.log.find((n) => n.code === 'CAPPED')?.values).toEqual({
      commonWh: 250_000,
      houseCapWh: 27_320,
      managementCompanyWh: 222_680,
    });
  });

  it('capped, under the cap: the whole V_common by area, nothing to the management company', () => {
    const r = distributeCommonNeeds({ ...E4, mode: 'capped', commonMeterWh: 770_000 });
    expect(whs(r)).toEqual([5_000, 7_000, 8_000]);
    expect(r.managementCompanyWh).toBe(0);
  });

  it.each(['full', 'capped'] as const)('%s: the common meter read 700 → 0 each, −50 kWh logged', (mode) => {
    const r = distributeCommonNeeds({ ...E4, mode, commonMeterWh: 700_000 });
    expect(whs(r)).toEqual([0, 0, 0]);
    expect(r.commonVolumeWh).toBe(-50_000);
    expect(r.negativeWh).toBe(-50_000);
    expect(r.managementCompanyWh).toBe(0);
    expect(r.distributedWh).toBe(0);
    expect(r.log.map((n) => n.code)).toContain('NEGATIVE_COMMON_VOLUME');
  });

  it('non-residential premises: their volume is subtracted and they take their area share', () => {
    const premises = [
      ...E4.premises,
      { premisesId: 'shop', areaCentiM2: 5_000, residential: false, individualWh: 150_000 },
    ];
    const r = distributeCommonNeeds({ ...E4, premises });
    expect(r.commonVolumeWh).toBe(100_000);
    expect(whs(r)).toEqual([20_000, 28_000, 32_000, 20_000]);
    expect(r.log.find((n) => n.code === 'COMMON_VOLUME')?.values.nonResidentialWh).toBe(150_000);
  });
});

describe('§7 without a common meter and in mode none', () => {
  it.each(['full', 'capped'] as const)('%s: V_i = normCommon × S_common × S_i / S_total', (mode) => {
    const r = distributeCommonNeeds({ ...E4, mode, commonMeterWh: null });
    expect(r.method).toBe('norm');
    expect(whs(r)).toEqual([6_830, 9_562, 10_928]);
    expect(r.distributedWh).toBe(27_320);
    expect(r.managementCompanyWh).toBe(0);
    expect(r.log.map((n) => n.code)).toEqual(['NO_COMMON_METER']);
  });

  it('none: the management company bills it itself, nothing is distributed', () => {
    const r = distributeCommonNeeds({ ...E4, mode: 'none' });
    expect(r.method).toBe('none');
    expect(whs(r)).toEqual([0, 0, 0]);
    expect(r.log.map((n) => n.code)).toEqual(['MODE_NONE']);
  });

  it('the norm is required where it is used', () => {
    expect(() => distributeCommonNeeds({ ...E4, mode: 'capped', normWhPerM2: null })).toThrow(RangeError);
    expect(() => distributeCommonNeeds({ ...E4, commonMeterWh: null, normWhPerM2: null })).toThrow(
      RangeError,
    );
    expect(distributeCommonNeeds({ ...E4, normWhPerM2: null }).distributedWh).toBe(250_000);
  });

  it('the house cap is rounded down to the Wh: at most the norm', () => {
    expect(houseCapWh(683, 4_000)).toBe(27_320);
    expect(houseCapWh(683, 4_001)).toBe(27_326); // 27,326.83 Wh
  });
});

describe('§7 S_total and exactness', () => {
  it('area of S_total not in the list takes its share and is reported, not billed', () => {
    const r = distributeCommonNeeds({ ...E4, totalAreaCentiM2: 25_000 });
    expect(whs(r)).toEqual([50_000, 70_000, 80_000]);
    expect(r.unassignedWh).toBe(50_000);
    expect(r.distributedWh).toBe(200_000);
    expect(() => distributeCommonNeeds({ ...E4, totalAreaCentiM2: 19_999 })).toThrow(RangeError);
  });

  it('odd volumes over odd areas still add up to the watt-hour; ties go to the first premises', () => {
    const premises = [1, 2, 3].map((n) => ({
      premisesId: String(n),
      areaCentiM2: 3_333,
      residential: true,
      individualWh: 0,
    }));
    const r = distributeCommonNeeds({ ...E4, premises, commonMeterWh: 100 });
    expect(whs(r)).toEqual([34, 33, 33]);
  });

  const premises = fc.array(
    fc.record({
      premisesId: fc.uuid(),
      areaCentiM2: fc.integer({ min: 1, max: 50_000 }),
      residential: fc.boolean(),
      individualWh: fc.integer({ min: 0, max: 2_000_000 }),
    }),
    { minLength: 1, maxLength: 40 },
  );
  const house = fc.record({
    mode: fc.constantFrom('full' as const, 'capped' as const),
    premises,
    commonAreaCentiM2: fc.integer({ min: 0, max: 200_000 }),
    commonMeterWh: fc.option(fc.integer({ min: 0, max: 100_000_000 }), { nil: null }),
    normWhPerM2: fc.integer({ min: 0, max: 5_000 }),
  });

  it('shares always add up exactly; capped shares stay within their caps; nothing is lost', () => {
    fc.assert(
      fc.property(house, (input) => {
        const r = distributeCommonNeeds(input);
        const sum = r.shares.reduce((s, x) => s + x.wh, 0);
        expect(sum).toBe(r.distributedWh);
        for (const s of r.shares) expect(s.wh).toBeGreaterThanOrEqual(0);
        if (r.method === 'meter' && r.commonVolumeWh >= 0) {
          expect(r.distributedWh + r.managementCompanyWh).toBe(r.commonVolumeWh);
        }
        if (input.mode === 'capped' || r.method === 'norm') {
          for (const s of r.shares) expect(s.wh).toBeLessThanOrEqual(s.capWh ?? -1);
          expect(r.distributedWh).toBeLessThanOrEqual(r.houseCapWh ?? -1);
        }
      }),
    );
  });
});
