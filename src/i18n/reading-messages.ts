import { formatDate, formatPeriod, type Lang } from './format.ts';

type P = Record<string, unknown>;
type Render = (p: P, lang: Lang) => string;

const s = (v: unknown) => String(v ?? '');
const kwh = (wh: unknown) => (Number(wh) / 1000).toLocaleString('ru-RU', { maximumFractionDigits: 3 });
const t = (ru: string, en: string) => (_: P, lang: Lang) => (lang === 'ru' ? ru : en);
const OFFICE_RU = 'Позвоните в контакт-центр или обратитесь в клиентский офис.';
const OFFICE_EN = 'Please call the contact centre or visit a client office.';

/** Russian (and English) text for every reason code of the intake (domain.md §4: a message the channel shows). */
export const REASON_MESSAGES: Record<string, Render> = {
  ACCOUNT_NOT_FOUND: t(
    'Лицевой счёт не найден. Проверьте номер в квитанции.',
    'Account not found. Check the number on your bill.',
  ),
  ACCOUNT_INACTIVE: t(`Лицевой счёт закрыт. ${OFFICE_RU}`, `The account is closed. ${OFFICE_EN}`),
  PHONE_NOT_LINKED: t(
    'Этот номер телефона не привязан к лицевому счёту. Назовите номер лицевого счёта или привяжите телефон в личном кабинете.',
    'This phone number is not linked to an account. Give your account number or link the phone in your personal account.',
  ),
  PHONE_AMBIGUOUS: t(
    'К этому телефону привязано несколько лицевых счетов. Назовите номер лицевого счёта.',
    'Several accounts are linked to this phone. Please give the account number.',
  ),
  METER_NOT_FOUND: t('Счётчик с таким номером не найден.', 'No meter with this serial number.'),
  METER_OF_ANOTHER_ACCOUNT: t(
    'Этот счётчик не относится к указанному лицевому счёту.',
    'This meter does not belong to the given account.',
  ),
  METER_REQUIRED: t(
    'На лицевом счёте несколько счётчиков: укажите заводской номер счётчика.',
    'The account has several meters: give the meter serial number.',
  ),
  NO_METER: t(
    `На лицевом счёте нет действующего счётчика. ${OFFICE_RU}`,
    `The account has no meter in service. ${OFFICE_EN}`,
  ),
  METER_REMOVED: (p, l) =>
    l === 'ru'
      ? `Счётчик ${s(p.serial)} снят с учёта. Передайте показания нового счётчика.`
      : `Meter ${s(p.serial)} has been removed. Submit the readings of the new meter.`,
  METER_FAILED: (p, l) => {
    const since = p.date
      ? l === 'ru'
        ? ` с ${formatDate(s(p.date), l)}`
        : ` since ${formatDate(s(p.date), l)}`
      : '';
    return l === 'ru'
      ? `Счётчик ${s(p.serial)} признан неисправным${since}, показания по нему не принимаются. ${OFFICE_RU}`
      : `Meter ${s(p.serial)} is recorded as failed${since}; its readings are not accepted. ${OFFICE_EN}`;
  },
  METER_NOT_COMMISSIONED: (p, l) =>
    l === 'ru'
      ? `Счётчик ${s(p.serial)} не введён в эксплуатацию. ${OFFICE_RU}`
      : `Meter ${s(p.serial)} has not been commissioned. ${OFFICE_EN}`,
  METER_VERIFICATION_EXPIRED: (p, l) =>
    l === 'ru'
      ? `Срок поверки счётчика ${s(p.serial)} истёк ${formatDate(s(p.date), l)}. Показания не принимаются, начисление идёт по среднему, затем по нормативу. Закажите поверку или замену счётчика.`
      : `The verification of meter ${s(p.serial)} expired on ${formatDate(s(p.date), l)}. Readings are not accepted; charges use the average, then the norm. Order a verification or a replacement.`,
  ZONE_COUNT_MISMATCH: (p, l) =>
    l === 'ru'
      ? `Счётчик ${Number(p.expected) === 1 ? 'однотарифный' : `${s(p.expected)}-тарифный`}: нужно ${s(p.expected)} показани${Number(p.expected) === 1 ? 'е' : 'я'}, передано ${s(p.got)}.`
      : `The meter has ${s(p.expected)} zone(s): ${s(p.expected)} value(s) needed, ${s(p.got)} given.`,
  VALUE_INVALID: (p, l) =>
    l === 'ru'
      ? `Показание Т${s(p.zone)} «${s(p.value)}» — не число.`
      : `Reading T${s(p.zone)} "${s(p.value)}" is not a number.`,
  VALUE_NEGATIVE: (p, l) =>
    l === 'ru'
      ? `Показание Т${s(p.zone)} не может быть отрицательным.`
      : `Reading T${s(p.zone)} cannot be negative.`,
  VALUE_TOO_LONG: (p, l) =>
    l === 'ru'
      ? `Показание Т${s(p.zone)} длиннее, чем показывает счётчик: до запятой не более ${s(p.digits)} цифр.`
      : `Reading T${s(p.zone)} is longer than the meter shows: at most ${s(p.digits)} digits before the decimal point.`,
  VALUE_PRECISION: (p, l) =>
    l === 'ru'
      ? Number(p.decimals) === 0
        ? `Показание Т${s(p.zone)}: передавайте только целую часть, без цифр после запятой.`
        : `Показание Т${s(p.zone)}: после запятой не более ${s(p.decimals)} цифр.`
      : `Reading T${s(p.zone)}: at most ${s(p.decimals)} digits after the decimal point.`,
  TAKEN_IN_FUTURE: t('Дата снятия показаний ещё не наступила.', 'The reading date is in the future.'),
  TAKEN_TOO_LONG_AGO: (p, l) =>
    l === 'ru'
      ? `Показания сняты более ${s(p.days)} дней назад. ${OFFICE_RU}`
      : `The reading was taken more than ${s(p.days)} days ago. ${OFFICE_EN}`,
  TAKEN_BEFORE_COMMISSIONING: (p, l) =>
    l === 'ru'
      ? `Показания сняты раньше ввода счётчика в эксплуатацию (${formatDate(s(p.date), l)}).`
      : `The reading predates the meter's commissioning (${formatDate(s(p.date), l)}).`,
  IDEMPOTENCY_CONFLICT: t(
    'Сообщение с этим идентификатором уже получено с другими данными.',
    'A message with this id was already received with different data.',
  ),
  OUTSIDE_WINDOW: (p, l) =>
    l === 'ru'
      ? `Показания через этот канал принимаются с ${s(p.fromDay)} по ${s(p.toDay)} число. Ближайший период приёма: ${formatDate(s(p.opens), l)} — ${formatDate(s(p.closes), l)}.`
      : `This channel accepts readings from day ${s(p.fromDay)} to day ${s(p.toDay)}. Next window: ${formatDate(s(p.opens), l)} — ${formatDate(s(p.closes), l)}.`,
  LOWER_THAN_PREVIOUS: (p, l) =>
    l === 'ru'
      ? `Показание Т${s(p.zone)} (${kwh(p.valueWh)}) меньше предыдущего принятого (${kwh(p.previousWh)}). Проверьте цифры; если счётчик заменён или показания ошибочны — ${OFFICE_RU.toLowerCase()}`
      : `Reading T${s(p.zone)} (${kwh(p.valueWh)}) is lower than the previous accepted one (${kwh(p.previousWh)}). Check the digits; if the meter was replaced, ${OFFICE_EN.toLowerCase()}`,
  HIGHER_THAN_LATER: (p, l) =>
    l === 'ru'
      ? `Показание Т${s(p.zone)} больше уже принятого за более поздний период (${formatPeriod(s(p.laterPeriod), l)}). Проверьте дату и цифры.`
      : `Reading T${s(p.zone)} is higher than the one already accepted for a later period (${formatPeriod(s(p.laterPeriod), l)}). Check the date and digits.`,
  LONG_GAP: (p, l) =>
    l === 'ru'
      ? `Показания не передавались более ${s(p.limit)} месяцев (последние — за ${formatPeriod(s(p.lastPeriod), l)}). Через личный кабинет их принять нельзя. ${OFFICE_RU}`
      : `No readings for more than ${s(p.limit)} months (last for ${formatPeriod(s(p.lastPeriod), l)}); the personal account cannot take them. ${OFFICE_EN}`,
  HIGH_CONSUMPTION: (_p, l) =>
    l === 'ru'
      ? 'Расход намного выше обычного. Показания переданы специалисту на проверку; мы сообщим о результате. Если вы ошиблись — передайте показания заново.'
      : 'Consumption is far above usual. The reading was passed to a specialist for review; we will let you know. If you made a mistake, submit again.',
};

export function reasonMessage(code: string, params: P, lang: Lang): string {
  const render = REASON_MESSAGES[code];
  return render ? render(params, lang) : code;
}
