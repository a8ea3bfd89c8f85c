export type Lang = 'ru' | 'en';

const MONTHS_RU = [
  'январь',
  'февраль',
  'март',
  'апрель',
  'май',
  'июнь',
  'июль',
  'август',
  'сентябрь',
  'октябрь',
  'ноябрь',
  'декабрь',
];
const MONTHS_RU_GEN = [
  'января',
  'февраля',
  'марта',
  'апреля',
  'мая',
  'июня',
  'июля',
  'августа',
  'сентября',
  'октября',
  'ноября',
  'декабря',
];
const MONTHS_EN = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** '2026-11' → 'ноябрь 2026 г.' / 'November 2026'. */
export function formatPeriod(period: string, lang: Lang): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return lang === 'ru' ? `${MONTHS_RU[m - 1]} ${y} г.` : `${MONTHS_EN[m - 1]} ${y}`;
}

/** '2026-12-05' → '5 декабря 2026 г.' / '5 December 2026'. */
export function formatDate(date: string, lang: Lang): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return lang === 'ru' ? `${d} ${MONTHS_RU_GEN[m - 1]} ${y} г.` : `${d} ${MONTHS_EN[m - 1]} ${y}`;
}

/** Picks the language from an Accept-Language header or a ?lang= value; Russian by default. */
export function pickLang(value: string | undefined): Lang {
  if (!value) return 'ru';
  const first = value.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'ru';
}

export const ZONE_LABELS: Record<string, { ru: string; en: string }> = {
  single: { ru: 'однотарифный', en: 'single rate' },
  day: { ru: 'день', en: 'day' },
  night: { ru: 'ночь', en: 'night' },
  peak: { ru: 'пик', en: 'peak' },
  half_peak: { ru: 'полупик', en: 'half-peak' },
};
