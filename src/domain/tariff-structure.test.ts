import { describe, expect, it } from 'vitest';
import {
  categoryFitsHouse,
  defaultTariffCategory,
  isValidRange,
  meterTypeOf,
  rangesOverlap,
  zoneFitsMeterType,
  zoneNamesFit,
} from './tariff-structure.ts';

describe('§6.2 zones of a meter type', () => {
  it('maps zone counts to meter types', () => {
    expect([1, 2, 3].map(meterTypeOf)).toEqual(['single', 'two_zone', 'three_zone']);
    expect(() => meterTypeOf(4)).toThrow(RangeError);
  });
  it.each([
    ['single', 'single', true],
    ['single', 'day', false],
    ['two_zone', 'day', true],
    ['two_zone', 'night', true],
    ['two_zone', 'peak', false],
    ['three_zone', 'peak', true],
    ['three_zone', 'half_peak', true],
    ['three_zone', 'night', true],
    ['three_zone', 'day', false],
  ] as const)('%s priced in %s: %s', (type, zone, fits) => {
    expect(zoneFitsMeterType(type, zone)).toBe(fits);
  });
});

describe('§6.3 volume ranges (caps 3,900 and 6,000 kWh)', () => {
  it('touching ranges do not overlap; nested and open-ended ones do', () => {
    expect(rangesOverlap({ fromKwh: 0, toKwh: 3900 }, { fromKwh: 3900, toKwh: 6000 })).toBe(false);
    expect(rangesOverlap({ fromKwh: 3900, toKwh: 6000 }, { fromKwh: 6000, toKwh: null })).toBe(false);
    expect(rangesOverlap({ fromKwh: 0, toKwh: null }, { fromKwh: 6000, toKwh: null })).toBe(true);
    expect(rangesOverlap({ fromKwh: 0, toKwh: 3900 }, { fromKwh: 1000, toKwh: 2000 })).toBe(true);
    expect(rangesOverlap({ fromKwh: 3000, toKwh: 4000 }, { fromKwh: 0, toKwh: 3900 })).toBe(true);
  });
  it('a range ends above where it starts', () => {
    expect(isValidRange({ fromKwh: 0, toKwh: null })).toBe(true);
    expect(isValidRange({ fromKwh: 3900, toKwh: 3900 })).toBe(false);
    expect(isValidRange({ fromKwh: -1, toKwh: 5 })).toBe(false);
  });
});

describe('§6.3 tariff category of a house', () => {
  const urbanGas = { stoveType: 'gas', settlementType: 'urban' } as const;
  const urbanElectric = { stoveType: 'electric', settlementType: 'urban' } as const;
  const ruralGas = { stoveType: 'gas', settlementType: 'rural' } as const;
  it('defaults by settlement, then stove', () => {
    expect(defaultTariffCategory(urbanGas)).toBe('gas_stove');
    expect(defaultTariffCategory(urbanElectric)).toBe('electric_stove');
    expect(defaultTariffCategory(ruralGas)).toBe('rural');
  });
  it('refuses a stove category that contradicts the house', () => {
    expect(categoryFitsHouse('electric_stove', urbanGas)).toBe(false);
    expect(categoryFitsHouse('gas_stove', urbanElectric)).toBe(false);
    expect(categoryFitsHouse('rural', urbanGas)).toBe(false);
    expect(categoryFitsHouse('gas_stove', ruralGas)).toBe(true);
    expect(categoryFitsHouse('equated', urbanElectric)).toBe(true);
  });
});

describe('§6.2 zone names of registers', () => {
  it('are the zones of the meter type in any order', () => {
    expect(zoneNamesFit(3, ['peak', 'night', 'half_peak'])).toBe(true);
    expect(zoneNamesFit(3, ['half_peak', 'night', 'peak'])).toBe(true);
    expect(zoneNamesFit(2, ['day', 'night'])).toBe(true);
    expect(zoneNamesFit(1, ['single'])).toBe(true);
    expect(zoneNamesFit(3, ['peak', 'night', 'day'])).toBe(false);
    expect(zoneNamesFit(2, ['day', 'day'])).toBe(false);
    expect(zoneNamesFit(2, ['day', 'night', 'peak'])).toBe(false);
  });
});
