/**
 * Words and number formats of the printed bill (domain.md §8): Russian by default, English on request.
 * Every user-facing string of the PDF comes from here; the layout (bill-pdf-layout.ts) only places them.
 */
import type { BillLine, BillReadingPoint, RecalculationReason } from '../domain/bill-document.ts';
import { formatMoney } from '../domain/money.ts';
import { addPeriods, type Period, periodDays } from '../domain/period.ts';
import { formatKwh as formatKwhPlain } from '../domain/register-value.ts';
import type { TariffCategory } from '../domain/tariff-structure.ts';
import type { VolumeSource } from '../domain/volume-history.ts';
import type { VolumeRule } from '../domain/volume-types.ts';
import { formatDate, formatPeriod, type Lang, ZONE_LABELS } from '../i18n/format.ts';

export type { Lang };

const NBSP = '\u00a0';

export interface BillLabels {
  docTitle: (number: string, period: string) => string;
  title: string;
  forPeriod: (period: string) => string;
  numberLine: (number: string, version: number, formedOn: string) => string;
  inn: string;
  kpp: string;
  account: string;
  bankAccount: string;
  bankIn: string;
  bic: string;
  correspAccount: string;
  phone: string;
  email: string;
  amountDue: string;
  payBy: (date: string) => string;
  dueShort: string;
  accountNumber: string;
  payer: string;
  address: string;
  premises: (area: string, rooms: number, residents: number) => string;
  tariffCategory: string;
  categories: Record<TariffCategory, string>;
  meter: (serial: string) => string;
  noMeter: string;
  zoneCount: (zones: number) => string;
  volumeSource: string;
  sources: Record<VolumeSource, string>;
  rules: Record<VolumeRule, string>;
  pointKinds: Record<BillReadingPoint['kind'], string>;
  zone: string;
  previous: string;
  current: string;
  consumption: string;
  total: string;
  singleRateVolume: string;
  noReading: string;
  service: string;
  volume: string;
  tariff: string;
  amount: string;
  kinds: { consumption: string; common_needs: string };
  recalculation: (corrected: string) => string;
  /** §8 the reason of a recalculation line. */
  recalculationReasons: Record<RecalculationReason, string>;
  rangeUpTo: (kwh: string) => string;
  rangeOver: (kwh: string) => string;
  chargedTotal: string;
  commonNeedsTitle: string;
  commonNeeds: (
    house: string,
    method: 'meter' | 'norm',
    area: string,
    total: string,
    common: string,
  ) => string;
  commonShare: (share: string) => string;
  commonCapped: (cap: string) => string;
  commonNegative: (volume: string) => string;
  debtForward: string;
  creditForward: string;
  payments: string;
  charged: string;
  recalculationTotal: string;
  commonNeedsTotal: string;
  penalties: string;
  toPay: string;
  overpaid: (amount: string) => string;
  qrCaption: string;
  qrMissing: string;
  notices: string;
  cut: string;
  tearTitle: string;
  tearHint: string;
  period: string;
  newReading: string;
  takenOn: string;
  signature: string;
  kwh: string;
}

const RU: BillLabels = {
  docTitle: (number, period) => `Счёт № ${number} за ${period}`,
  title: 'ЕДИНЫЙ ПЛАТЁЖНЫЙ ДОКУМЕНТ · СЧЁТ ЗА ЭЛЕКТРОЭНЕРГИЮ',
  forPeriod: (period) => `за ${period}`,
  numberLine: (number, version, formedOn) => `№ ${number}, версия ${version} · сформирован ${formedOn}`,
  inn: 'ИНН',
  kpp: 'КПП',
  account: 'Лицевой счёт',
  bankAccount: 'р/с',
  bankIn: 'в',
  bic: 'БИК',
  correspAccount: 'к/с',
  phone: 'Тел.',
  email: 'e-mail',
  amountDue: 'ИТОГО К ОПЛАТЕ',
  payBy: (date) => `Оплатить до ${date}`,
  dueShort: 'К оплате',
  accountNumber: 'Лицевой счёт №',
  payer: 'Плательщик',
  address: 'Адрес',
  premises: (area, rooms, residents) =>
    `Площадь ${area} м² · комнат: ${rooms} · зарегистрировано: ${residents} чел.`,
  tariffCategory: 'Тариф',
  categories: {
    gas_stove: 'население, дом с газовыми плитами',
    electric_stove: 'население, дом с электроплитами',
    rural: 'население, сельская местность',
    equated: 'приравненные к населению',
  },
  meter: (serial) => `Счётчик № ${serial}`,
  noMeter: 'Прибор учёта не установлен',
  zoneCount: (zones) => (zones === 1 ? 'однотарифный' : zones === 2 ? 'двухтарифный' : 'трёхтарифный'),
  volumeSource: 'Объём',
  sources: {
    actual: 'фактические показания',
    smart: 'умный счётчик',
    control: 'контрольное снятие показаний',
    average: 'среднее (показания не переданы)',
    norm: 'норматив потребления',
  },
  rules: {
    READING: '',
    SMART_REGISTER: 'на конец периода',
    CONTROL_READING: '',
    METER_REPLACEMENT: 'замена прибора учёта в периоде',
    AVERAGE: '',
    AVERAGE_INVALID_METER: 'прибор учёта неисправен или не поверен, по среднему',
    NORM_NO_AVERAGE: 'нет данных для расчёта среднего',
    NORM_AFTER_AVERAGE: 'показания долго не передавались',
    NORM_INVALID_METER: 'прибор учёта неисправен или не поверен, с повышающим коэффициентом',
    NORM_NO_METER: 'с повышающим коэффициентом',
    NORM_NO_METER_IMPOSSIBLE: 'установка прибора учёта невозможна',
    NORM_NOT_COMMISSIONED: 'прибор учёта не введён в эксплуатацию',
  },
  pointKinds: {
    reading: '',
    smart: '',
    control: 'контрольное',
    commissioning: 'при вводе',
    final: 'при снятии',
  },
  zone: 'Зона',
  previous: 'Предыдущие',
  current: 'Текущие',
  consumption: 'Расход, кВт·ч',
  total: 'Всего',
  singleRateVolume: 'по однотарифной цене',
  noReading: '—',
  service: 'Вид начисления',
  volume: 'Объём, кВт·ч',
  tariff: 'Тариф, ₽/кВт·ч',
  amount: 'Сумма, ₽',
  kinds: {
    consumption: 'Электроэнергия',
    common_needs: 'ОДН (общедомовые нужды)',
  },
  recalculation: (corrected) => `Перерасчёт за ${corrected}`,
  recalculationReasons: {
    TRUE_UP: 'по показаниям',
    CONTROL_READING: 'по контрольному показанию',
    LATE_READING: 'по показаниям после расчёта',
    METER_REPLACEMENT: 'при замене счётчика',
    NORM_REVERSAL: 'сторно норматива',
  },
  rangeUpTo: (kwh) => `до ${kwh} кВт·ч`,
  rangeOver: (kwh) => `свыше ${kwh} кВт·ч`,
  chargedTotal: 'Итого начислено за период',
  commonNeedsTitle: 'ОБЩЕДОМОВЫЕ НУЖДЫ (ОДН)',
  commonNeeds: (house, method, area, total, common) =>
    `расход дома ${house} кВт·ч ${method === 'meter' ? 'по общедомовому прибору учёта' : 'по нормативу'}; ` +
    `ваше помещение ${area} м² из ${total} м², общее имущество ${common} м²`,
  commonShare: (share) => `ваша доля ${share} кВт·ч`,
  commonCapped: (cap) => `ограничена нормативом ${cap} кВт·ч`,
  commonNegative: (volume) =>
    `расход по общедомовому прибору учёта отрицательный (${volume} кВт·ч), ОДН не начисляется`,
  debtForward: 'Задолженность на начало периода',
  creditForward: 'Аванс (переплата) на начало периода',
  payments: 'Оплачено в периоде',
  charged: 'Начислено за электроэнергию',
  recalculationTotal: 'Перерасчёт',
  commonNeedsTotal: 'Общедомовые нужды (ОДН)',
  penalties: 'Пени',
  toPay: 'ИТОГО К ОПЛАТЕ',
  overpaid: (amount) => `Переплата ${amount} будет учтена в следующем счёте.`,
  qrCaption: 'Оплата по QR\u2011коду в\u00a0приложении банка',
  qrMissing:
    'QR-код для оплаты не сформирован: не указаны банковские реквизиты получателя. Уточните реквизиты по телефону.',
  notices: 'ВНИМАНИЕ',
  cut: '✂ линия отреза',
  tearTitle: 'ПОКАЗАНИЯ ДЛЯ СЛЕДУЮЩЕГО СЧЁТА',
  tearHint: 'Заполните и опустите в ящик для показаний',
  period: 'Период',
  newReading: 'Новые показания',
  takenOn: 'Дата снятия показаний: «____» ______________ 20____ г.',
  signature: 'Подпись: ____________________',
  kwh: 'кВт·ч',
};

const EN: BillLabels = {
  docTitle: (number, period) => `Bill No. ${number} for ${period}`,
  title: 'UNIFIED PAYMENT DOCUMENT · ELECTRICITY BILL',
  forPeriod: (period) => `for ${period}`,
  numberLine: (number, version, formedOn) => `No. ${number}, version ${version} · formed ${formedOn}`,
  inn: 'INN',
  kpp: 'KPP',
  account: 'Account',
  bankAccount: 'account',
  bankIn: 'at',
  bic: 'BIC',
  correspAccount: 'corr. account',
  phone: 'Phone',
  email: 'e-mail',
  amountDue: 'AMOUNT DUE',
  payBy: (date) => `Pay by ${date}`,
  dueShort: 'Amount due',
  accountNumber: 'Account No.',
  payer: 'Payer',
  address: 'Address',
  premises: (area, rooms, residents) => `Area ${area} m² · rooms: ${rooms} · residents: ${residents}`,
  tariffCategory: 'Tariff',
  categories: {
    gas_stove: 'households, gas stoves',
    electric_stove: 'households, electric stoves',
    rural: 'households, rural',
    equated: 'equated to households',
  },
  meter: (serial) => `Meter No. ${serial}`,
  noMeter: 'No meter installed',
  zoneCount: (zones) => (zones === 1 ? 'single-rate' : zones === 2 ? 'two-zone' : 'three-zone'),
  volumeSource: 'Volume',
  sources: {
    actual: 'actual readings',
    smart: 'smart meter',
    control: 'control reading',
    average: 'average (no readings submitted)',
    norm: 'consumption norm',
  },
  rules: {
    READING: '',
    SMART_REGISTER: 'at the period end',
    CONTROL_READING: '',
    METER_REPLACEMENT: 'meter replaced in the period',
    AVERAGE: '',
    AVERAGE_INVALID_METER: 'meter failed or out of verification, average',
    NORM_NO_AVERAGE: 'not enough history for an average',
    NORM_AFTER_AVERAGE: 'no readings for too long',
    NORM_INVALID_METER: 'meter failed or out of verification, raised norm',
    NORM_NO_METER: 'with the raising factor',
    NORM_NO_METER_IMPOSSIBLE: 'a meter cannot be installed',
    NORM_NOT_COMMISSIONED: 'meter not commissioned',
  },
  pointKinds: {
    reading: '',
    smart: '',
    control: 'control',
    commissioning: 'commissioning',
    final: 'final',
  },
  zone: 'Zone',
  previous: 'Previous',
  current: 'Current',
  consumption: 'Used, kWh',
  total: 'Total',
  singleRateVolume: 'at the single-rate price',
  noReading: '—',
  service: 'Charge',
  volume: 'Volume, kWh',
  tariff: 'RUB/kWh',
  amount: 'Sum, RUB',
  kinds: { consumption: 'Electricity', common_needs: 'Common-house needs' },
  recalculation: (corrected) => `Recalculation for ${corrected}`,
  recalculationReasons: {
    TRUE_UP: 'by readings',
    CONTROL_READING: 'by a control reading',
    LATE_READING: 'by late readings',
    METER_REPLACEMENT: 'on meter replacement',
    NORM_REVERSAL: 'norm reversed',
  },
  rangeUpTo: (kwh) => `up to ${kwh} kWh`,
  rangeOver: (kwh) => `over ${kwh} kWh`,
  chargedTotal: 'Charged for the period',
  commonNeedsTitle: 'COMMON-HOUSE NEEDS',
  commonNeeds: (house, method, area, total, common) =>
    `house volume ${house} kWh ${method === 'meter' ? 'by the common meter' : 'by the norm'}; ` +
    `your premises ${area} m² of ${total} m², common property ${common} m²`,
  commonShare: (share) => `your share ${share} kWh`,
  commonCapped: (cap) => `capped at the norm of ${cap} kWh`,
  commonNegative: (volume) => `the common meter shows a negative volume (${volume} kWh), nothing is charged`,
  debtForward: 'Debt at the start of the period',
  creditForward: 'Credit at the start of the period',
  payments: 'Paid during the period',
  charged: 'Electricity charged',
  recalculationTotal: 'Recalculation',
  commonNeedsTotal: 'Common-house needs',
  penalties: 'Penalties',
  toPay: 'Amount due',
  overpaid: (amount) => `An overpayment of ${amount} is carried to the next bill.`,
  qrCaption: 'Pay by QR code in your banking app',
  qrMissing:
    'No payment QR code: the payee’s bank details are missing. Please ask for the bank details by phone.',
  notices: 'NOTICE',
  cut: '✂ cut here',
  tearTitle: 'READINGS FOR THE NEXT BILL',
  tearHint: 'Fill in and drop into the readings box',
  period: 'Period',
  newReading: 'New reading',
  takenOn: 'Date taken: ____ / ____ / 20____',
  signature: 'Signature: ____________________',
  kwh: 'kWh',
};

export const BILL_LABELS: Record<Lang, BillLabels> = { ru: RU, en: EN };

/** Watt-hours as kWh with up to 3 decimals, trailing zeros trimmed ("1 234,5" / "1,234.5"). */
export function formatKwh(wh: number, lang: Lang): string {
  const [whole = '', fraction] = formatKwhPlain(Math.round(wh)).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, lang === 'ru' ? NBSP : ',');
  return fraction ? `${grouped}${lang === 'ru' ? ',' : '.'}${fraction}` : grouped;
}

/** A decimal string of the document ("54.30") in the language's format ("54,30"). */
export function formatDecimal(text: string, lang: Lang): string {
  return lang === 'ru' ? text.replace('.', ',') : text;
}

/** Hundredths of m² as "54,30". */
export function formatCentiM2(centi: number, lang: Lang): string {
  const [whole = '0', fraction = '00'] = (centi / 100).toFixed(2).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, lang === 'ru' ? NBSP : ',');
  return `${grouped}${lang === 'ru' ? ',' : '.'}${fraction}`;
}

/** 'YYYY-MM-DD' → '20.10.2026' (short, for table headers). */
export function formatShortDate(date: string): string {
  return `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;
}

export function money(kopecks: number, lang: Lang, currency = true): string {
  return formatMoney(kopecks, lang, { currency });
}

export function zoneName(zone: string, lang: Lang): string {
  return ZONE_LABELS[zone]?.[lang] ?? zone;
}

/**
 * Periods for people (§6.4 "names the periods it corrects"): consecutive months become a range
 * ("январь – март 2026 г."), gaps a list ("январь 2026 г., март 2026 г.").
 */
export function formatPeriods(periods: readonly Period[], lang: Lang): string {
  const sorted = [...new Set(periods)].sort();
  const runs: [Period, Period][] = [];
  for (const p of sorted) {
    const last = runs[runs.length - 1];
    if (last && addPeriods(last[1], 1) === p) last[1] = p;
    else runs.push([p, p]);
  }
  return runs
    .map(([from, to]) => {
      if (from === to) return formatPeriod(from, lang);
      const end = formatPeriod(to, lang);
      const start = formatPeriod(from, lang);
      // Same year: "январь – март 2026 г."; otherwise both years in full.
      const startText = from.slice(0, 4) === to.slice(0, 4) ? start.split(' ')[0] : start;
      return `${startText} – ${end}`;
    })
    .join(', ')
    .replace(/ г\./g, `${NBSP}г.`);
}

/** The description of a bill line: its kind and, for a recalculation, the periods it corrects (§6.4). */
export function lineKindText(line: BillLine, billPeriod: Period, lang: Lang): string[] {
  const l = BILL_LABELS[lang];
  if (line.kind !== 'recalculation') return [l.kinds[line.kind]];
  const corrected = line.periods.filter((p) => p !== billPeriod);
  // `periods` are the corrected periods followed by the bill's own (§6.4); the corrected ones are named.
  const what = l.recalculation(formatPeriods(corrected.length > 0 ? corrected : line.periods, lang));
  return [line.reason ? `${what} ${l.recalculationReasons[line.reason]}` : what];
}

/** Tariff range and partial-period notes of a line (§6.3), empty when the line covers the plain case. */
export function lineNotes(line: BillLine, period: Period, lang: Lang): string[] {
  const l = BILL_LABELS[lang];
  const notes: string[] = [];
  if (line.tariff.rangeToKwh !== null)
    notes.push(l.rangeUpTo(formatKwh(line.tariff.rangeToKwh * 1000, lang)));
  else if (line.tariff.rangeFromKwh > 0)
    notes.push(l.rangeOver(formatKwh(line.tariff.rangeFromKwh * 1000, lang)));
  // A tariff changed inside the period (§6.3): the line covers only some of its days.
  const { firstDay, lastDay } = periodDays(period);
  const partial = line.from !== firstDay || line.to !== lastDay;
  if (partial && line.periods.length === 1 && line.periods[0] === period)
    notes.push(`${formatShortDate(line.from).slice(0, 5)}–${formatShortDate(line.to).slice(0, 5)}`);
  return notes;
}

export { formatDate, formatPeriod };
