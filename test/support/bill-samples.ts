/**
 * Realistic bills (domain.md §8) for the PDF tests and the PDF benchmark, built from the §6.5 worked
 * examples: E6 three-zone actual readings, E1 April recalculation, E3 norm without a meter, E4 common
 * needs; the QR payloads come from the real §12 builder.
 */
import { billTotals } from '../../src/domain/bill-compose.ts';
import type {
  BillCommonNeeds,
  BillDocument,
  BillLine,
  BillMeterBlock,
  BillPayee,
} from '../../src/domain/bill-document.ts';
import { chargeKopecks } from '../../src/domain/money.ts';
import { buildPaymentQr } from '../../src/domain/payment-qr.ts';
import type { Period } from '../../src/domain/period.ts';
import type { TariffCategory, TariffZone } from '../../src/domain/tariff-structure.ts';

export const PAYEE: BillPayee = {
  name: 'АО «Энергосбыт»',
  inn: '7700000000',
  kpp: '770001001',
  bankName: 'ПАО Сбербанк',
  bic: '044525225',
  personalAcc: '40702810900000000001',
  correspAcc: '30101810400000000225',
  phone: '8 800 100-00-00',
  email: 'info@energosbyt.example',
  address: '117312, г. Москва, ул. Вавилова, д. 9',
};

/** A payee whose name holds «» and a '|': the QR payload must take another separator (§12). */
export const PAYEE_WITH_BAR: BillPayee = {
  ...PAYEE,
  name: 'ООО «Свет | Север»',
  inn: '2901000000',
  kpp: '290101001',
  bankName: 'АО «Банк Север»',
  bic: '041117601',
  personalAcc: '40702810400000000777',
  correspAcc: '30101810100000000601',
  phone: '8 8182 00-00-00',
  email: 'abonent@svet-sever.example',
  address: '163000, г. Архангельск, пр. Ломоносова, д. 1',
};

export interface SampleOptions {
  accountNumber?: string;
  /** Leave out the payee's bank details: no QR code (§12). */
  noBankDetails?: boolean;
}

interface LineSpec {
  kind?: BillLine['kind'];
  zone: TariffZone;
  register?: number | null;
  wh: number;
  price: number;
  periods?: Period[];
  source?: BillLine['source'];
  rule?: BillLine['rule'];
  from?: string;
  to?: string;
  range?: [number, number | null];
}

interface BillSpec {
  period: Period;
  formedOn: string;
  deliverBy: string;
  dueDate: string;
  accountNumber: string;
  payerName: string;
  address: string;
  premisesNumber: string;
  areaM2: string;
  rooms: number;
  residents: number;
  category: TariffCategory;
  payee: BillPayee;
  meters: BillMeterBlock[];
  commonNeeds?: BillCommonNeeds | null;
  lines: LineSpec[];
  balanceForwardKopecks?: number;
  paymentsKopecks?: number;
  penaltiesKopecks?: number;
  notices?: BillDocument['notices'];
}

function lastDay(period: Period): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return `${period}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

function line(spec: LineSpec, bill: BillSpec): BillLine {
  const from = spec.from ?? `${bill.period}-01`;
  const to = spec.to ?? lastDay(bill.period);
  const meter = bill.meters[0];
  const kind = spec.kind ?? 'consumption';
  return {
    kind,
    zone: spec.zone,
    register: spec.register ?? null,
    volumeWh: spec.wh,
    priceKopecksPerKwh: spec.price,
    amountKopecks: chargeKopecks(spec.wh, spec.price),
    source: spec.source ?? (kind === 'common_needs' ? 'common_meter' : (meter?.source ?? 'actual')),
    rule: spec.rule ?? (kind === 'common_needs' ? 'COMMON_METER' : (meter?.rule ?? 'READING')),
    cite: kind === 'common_needs' ? '§7' : kind === 'recalculation' ? '§6.4' : '§6.1',
    periods: spec.periods ?? [bill.period],
    ...(kind === 'recalculation' ? { reason: 'TRUE_UP' as const } : {}),
    from,
    to,
    days: Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1,
    tariff: {
      id: null,
      meterType:
        meter && meter.zoneNames.length === 3
          ? 'three_zone'
          : meter?.zoneNames.length === 2
            ? 'two_zone'
            : 'single',
      effectiveFrom: from,
      rangeFromKwh: spec.range?.[0] ?? 0,
      rangeToKwh: spec.range ? spec.range[1] : null,
    },
    meterSerial: kind === 'common_needs' ? null : (meter?.serial ?? null),
  };
}

/** Puts a bill together: lines priced per §6.3, totals, and the §12 QR payload. */
function bill(spec: BillSpec, options: SampleOptions): BillDocument {
  const accountNumber = options.accountNumber ?? spec.accountNumber;
  const payee: BillPayee = options.noBankDetails
    ? { ...spec.payee, personalAcc: null, bankName: null, bic: null, correspAcc: null }
    : spec.payee;
  const lines = spec.lines.map((l) => line(l, spec));
  const totals = billTotals(lines, spec);
  let qr: string | null = null;
  if (payee.personalAcc && payee.bankName && payee.bic && payee.correspAcc) {
    const built = buildPaymentQr({
      name: payee.name,
      personalAcc: payee.personalAcc,
      bankName: payee.bankName,
      bic: payee.bic,
      correspAcc: payee.correspAcc,
      ...(payee.inn ? { payeeInn: payee.inn } : {}),
      ...(payee.kpp ? { kpp: payee.kpp } : {}),
      persAcc: accountNumber,
      paymPeriod: spec.period,
      sumKopecks: totals.amountDueKopecks,
      ...(totals.penaltiesKopecks > 0 ? { addAmountKopecks: totals.penaltiesKopecks } : {}),
      techCode: '02',
    });
    if (!built.ok) throw new Error(`sample QR: ${JSON.stringify(built.errors)}`);
    qr = built.value;
  }
  return {
    schema: 1,
    number: `${spec.period.replace('-', '')}-${accountNumber}`,
    version: 1,
    period: spec.period,
    regionCode: 'moscow',
    formedOn: spec.formedOn,
    deliverBy: spec.deliverBy,
    dueDate: spec.dueDate,
    account: {
      number: accountNumber,
      payerName: spec.payerName,
      address: spec.address,
      premisesNumber: spec.premisesNumber,
      areaM2: spec.areaM2,
      rooms: spec.rooms,
      residents: spec.residents,
      tariffCategory: spec.category,
    },
    payee,
    meters: spec.meters,
    commonNeeds: spec.commonNeeds ?? null,
    lines,
    totals,
    notices: spec.notices ?? [],
    qr,
  };
}

const kwh = (n: number) => Math.round(n * 1000);

/**
 * E6: a Moscow three-zone meter (T1 peak, T2 night, T3 half-peak, §6.2) with actual readings, gas stove,
 * H2 2025 prices: peak 60 × 11.24 = 674.40, night 100 × 4.08 = 408.00, half-peak 90 × 7.87 = 708.30;
 * 1,790.70 in all.
 */
export function threeZoneBill(options: SampleOptions = {}): BillDocument {
  return bill(
    {
      period: '2025-10',
      formedOn: '2025-11-01',
      deliverBy: '2025-11-05',
      dueDate: '2025-11-10',
      accountNumber: '1000000001',
      payerName: 'Иванова Мария Петровна',
      address: 'г. Москва, ул. Профсоюзная, д. 104, кв. 56',
      premisesNumber: '56',
      areaM2: '54.30',
      rooms: 2,
      residents: 2,
      category: 'gas_stove',
      payee: PAYEE,
      meters: [
        {
          serial: '011070123456789',
          zoneNames: ['peak', 'night', 'half_peak'],
          source: 'actual',
          rule: 'READING',
          cite: '§6.1 item 1',
          previous: {
            period: '2025-09',
            valuesWh: [kwh(12_340), kwh(8_210), kwh(10_015.5)],
            kind: 'reading',
            takenOn: '2025-09-20',
            readingId: 101,
          },
          current: {
            period: '2025-10',
            valuesWh: [kwh(12_400), kwh(8_310), kwh(10_105.5)],
            kind: 'reading',
            takenOn: '2025-10-20',
            readingId: 102,
          },
          zonesWh: [kwh(60), kwh(100), kwh(90)],
          singleRateWh: 0,
          totalWh: kwh(250),
          explanation: {},
        },
      ],
      lines: [
        { zone: 'peak', register: 1, wh: kwh(60), price: 1124 },
        { zone: 'night', register: 2, wh: kwh(100), price: 408 },
        { zone: 'half_peak', register: 3, wh: kwh(90), price: 787 },
      ],
      balanceForwardKopecks: 165_030,
      paymentsKopecks: 165_030,
    },
    options,
  );
}

/**
 * E1: a single-rate meter, 8.00 RUB/kWh; January–March billed at the average (200 kWh each), the reading
 * of 16,130 on 20 April → 930 used since 15,200, 600 billed → April bill 330 kWh = 2,640.00, a
 * recalculation naming 2026-01..2026-03 (§6.4). Debt carried, a penalty (§10) and a debt notice (§11).
 * The payee's name holds a '|', so the QR payload takes another separator.
 */
export function recalculationBill(options: SampleOptions = {}): BillDocument {
  return bill(
    {
      period: '2026-04',
      formedOn: '2026-05-01',
      deliverBy: '2026-05-05',
      dueDate: '2026-05-15',
      accountNumber: '2900000417',
      payerName: 'Петров Николай Иванович',
      address: 'г. Архангельск, ул. Гайдара, д. 27, корп. 2, кв. 114',
      premisesNumber: '114',
      areaM2: '61.20',
      rooms: 3,
      residents: 2,
      category: 'electric_stove',
      payee: PAYEE_WITH_BAR,
      meters: [
        {
          serial: 'CE102-R5.1-08841277',
          zoneNames: ['single'],
          source: 'actual',
          rule: 'READING',
          cite: '§6.1 item 1; §6.4',
          previous: {
            period: '2025-12',
            valuesWh: [kwh(15_200)],
            kind: 'reading',
            takenOn: '2025-12-26',
            readingId: 501,
          },
          current: {
            period: '2026-04',
            valuesWh: [kwh(16_130)],
            kind: 'reading',
            takenOn: '2026-04-20',
            readingId: 502,
          },
          zonesWh: [kwh(330)],
          singleRateWh: 0,
          totalWh: kwh(330),
          explanation: {
            recalculation: { corrects: ['2026-01', '2026-02', '2026-03'], billedWh: [kwh(600)] },
          },
        },
      ],
      lines: [
        {
          kind: 'recalculation',
          zone: 'single',
          wh: kwh(330),
          price: 800,
          periods: ['2026-01', '2026-02', '2026-03', '2026-04'],
        },
      ],
      balanceForwardKopecks: 480_000,
      paymentsKopecks: 160_000,
      penaltiesKopecks: 1_537,
      notices: [
        {
          code: 'DEBT_NOTICE',
          text:
            'Задолженность за электроэнергию превышает сумму двух месячных начислений по нормативу. ' +
            'Если её не погасить в течение 20 дней со дня доставки этого уведомления, подача электроэнергии ' +
            'может быть ограничена, а затем приостановлена (п. 117–119 Правил № 354).',
        },
      ],
    },
    options,
  );
}

/** E3: no meter although one could be installed: 3 residents × 60 kWh × 1.5 × 8.00 = 2,160.00 (§6.1 item 4). */
export function normBill(options: SampleOptions = {}): BillDocument {
  return bill(
    {
      period: '2026-10',
      formedOn: '2026-11-02',
      deliverBy: '2026-11-05',
      dueDate: '2026-11-16',
      accountNumber: '5000012345',
      payerName: 'Сидорова Анна Васильевна',
      address: 'Московская обл., Рузский г. о., д. Старая Руза, ул. Полевая, д. 12',
      premisesNumber: '1',
      areaM2: '72.00',
      rooms: 3,
      residents: 3,
      category: 'rural',
      payee: PAYEE,
      meters: [
        {
          serial: null,
          zoneNames: [],
          source: 'norm',
          rule: 'NORM_NO_METER',
          cite: '§6.1 item 4',
          previous: null,
          current: null,
          zonesWh: [],
          singleRateWh: kwh(270),
          totalWh: kwh(270),
          explanation: { norm: { residents: 3, normWhPerPerson: kwh(60), factor: 1.5 } },
        },
      ],
      lines: [{ zone: 'single', wh: kwh(270), price: 800 }],
    },
    options,
  );
}

/**
 * E4 "full" common needs and the E6 two-zone meter: day 150 × 9.45 + night 100 × 4.08 = 1,825.50; the
 * flat's share of the house's 250 kWh, 50 of 200 m², is 62.5 kWh at the single-rate 7.87 = 491.88.
 * An advance of 200.00 carried from the month before.
 */
export function commonNeedsBill(options: SampleOptions = {}): BillDocument {
  return bill(
    {
      period: '2025-11',
      formedOn: '2025-12-01',
      deliverBy: '2025-12-05',
      dueDate: '2025-12-10',
      accountNumber: '1000000777',
      payerName: 'Кузнецов Алексей Сергеевич',
      address: 'г. Москва, Ленинский пр-т, д. 37, кв. 8',
      premisesNumber: '8',
      areaM2: '50.00',
      rooms: 2,
      residents: 3,
      category: 'gas_stove',
      payee: PAYEE,
      meters: [
        {
          serial: '22845019',
          zoneNames: ['day', 'night'],
          source: 'smart',
          rule: 'SMART_REGISTER',
          cite: '§6.1 item 1; §15',
          previous: {
            period: '2025-10',
            valuesWh: [kwh(4_120.25), kwh(2_010.75)],
            kind: 'smart',
            takenOn: '2025-11-01',
            readingId: 9001,
          },
          current: {
            period: '2025-11',
            valuesWh: [kwh(4_270.25), kwh(2_110.75)],
            kind: 'smart',
            takenOn: '2025-12-01',
            readingId: 9002,
          },
          zonesWh: [kwh(150), kwh(100)],
          singleRateWh: 0,
          totalWh: kwh(250),
          explanation: {},
        },
      ],
      commonNeeds: {
        mode: 'full',
        method: 'meter',
        houseVolumeWh: kwh(250),
        houseCapWh: null,
        premisesAreaCentiM2: 5_000,
        totalAreaCentiM2: 20_000,
        commonAreaCentiM2: 4_000,
        shareWh: kwh(62.5),
        capWh: null,
        negativeWh: 0,
      },
      lines: [
        { zone: 'day', register: 1, wh: kwh(150), price: 945 },
        { zone: 'night', register: 2, wh: kwh(100), price: 408 },
        { kind: 'common_needs', zone: 'single', wh: kwh(62.5), price: 787 },
      ],
      balanceForwardKopecks: -20_000,
    },
    options,
  );
}

/**
 * A layout stress sample (its figures are not one consistent account). Twelve lines, the most a bill
 * should carry on one page: a three-zone meter with a tariff change on
 * the 15th (each zone priced twice, §6.3), a true-up credit and charge per zone for two corrected
 * periods (§6.4), a volume range above 3,900 kWh, and common needs.
 */
export function manyLinesBill(options: SampleOptions = {}): BillDocument {
  const base = threeZoneBill(options);
  const p = '2025-10';
  const specs: LineSpec[] = [
    { zone: 'peak', register: 1, wh: kwh(28), price: 1124, to: `${p}-14` },
    { zone: 'peak', register: 1, wh: kwh(32), price: 1180, from: `${p}-15` },
    { zone: 'night', register: 2, wh: kwh(46.667), price: 408, to: `${p}-14` },
    { zone: 'night', register: 2, wh: kwh(53.333), price: 428, from: `${p}-15` },
    { zone: 'half_peak', register: 3, wh: kwh(42), price: 787, to: `${p}-14` },
    { zone: 'half_peak', register: 3, wh: kwh(48), price: 826, from: `${p}-15` },
    {
      kind: 'recalculation',
      zone: 'peak',
      register: 1,
      wh: kwh(-12.5),
      price: 1124,
      periods: ['2025-07', '2025-08', p],
    },
    {
      kind: 'recalculation',
      zone: 'night',
      register: 2,
      wh: kwh(-20),
      price: 408,
      periods: ['2025-07', '2025-08', p],
    },
    {
      kind: 'recalculation',
      zone: 'half_peak',
      register: 3,
      wh: kwh(15.25),
      price: 787,
      periods: ['2025-07', '2025-08', p],
    },
    { zone: 'peak', register: 1, wh: kwh(4_100), price: 1420, range: [3_900, null] },
    { zone: 'night', register: 2, wh: kwh(3_900), price: 408, range: [0, 3_900] },
    { kind: 'common_needs', zone: 'single', wh: kwh(12.345), price: 787 },
  ];
  const spec: BillSpec = {
    period: p,
    formedOn: base.formedOn,
    deliverBy: base.deliverBy,
    dueDate: base.dueDate,
    accountNumber: base.account.number,
    payerName: 'Смирнов-Задунайский Константин Вольдемарович',
    address: base.account.address,
    premisesNumber: base.account.premisesNumber,
    areaM2: base.account.areaM2,
    rooms: base.account.rooms,
    residents: base.account.residents,
    category: base.account.tariffCategory,
    payee: PAYEE,
    meters: base.meters,
    commonNeeds: {
      mode: 'capped',
      method: 'meter',
      houseVolumeWh: kwh(600),
      houseCapWh: kwh(27.32),
      premisesAreaCentiM2: 5_430,
      totalAreaCentiM2: 1_200_000,
      commonAreaCentiM2: 80_000,
      shareWh: kwh(12.345),
      capWh: kwh(12.345),
      negativeWh: 0,
    },
    lines: specs,
    balanceForwardKopecks: 350_000,
    paymentsKopecks: 100_000,
    penaltiesKopecks: 2_277,
  };
  return bill(spec, options);
}

export interface BillSample {
  name: string;
  doc: BillDocument;
}

/** Every sample, with a bill whose payee has no bank details (no QR code). */
export function billSamples(options: SampleOptions = {}): BillSample[] {
  return [
    { name: 'three-zone', doc: threeZoneBill(options) },
    { name: 'recalculation', doc: recalculationBill(options) },
    { name: 'norm', doc: normBill(options) },
    { name: 'common-needs', doc: commonNeedsBill(options) },
    { name: 'many-lines', doc: manyLinesBill(options) },
    { name: 'no-bank-details', doc: normBill({ ...options, noBankDetails: true }) },
  ];
}
