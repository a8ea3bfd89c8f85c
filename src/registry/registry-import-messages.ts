import { formatKwh } from '../domain/register-value.ts';
import { reasonMessage } from '../i18n/reading-messages.ts';

/**
 * Russian (and English) text of every reason code of the registry import. Codes of the readings intake
 * (value problems, ZONE_COUNT_MISMATCH, TAKEN_BEFORE_COMMISSIONING, …) use the intake's own texts, prefixed
 * with which values of the row are meant.
 */

type P = Record<string, unknown>;
const s = (v: unknown) => String(v ?? '');
const kwh = (wh: unknown) => formatKwh(Number(wh));

const SECTION_RU: Record<string, string> = {
  principals: 'принципал',
  managementCompanies: 'управляющая компания',
  houses: 'дом',
  premises: 'помещение',
  accounts: 'лицевой счёт',
  meters: 'прибор учёта',
  meterReplacements: 'замена прибора учёта',
  readings: 'показания',
};
const SECTION_EN: Record<string, string> = {
  principals: 'principal',
  managementCompanies: 'management company',
  houses: 'house',
  premises: 'premises',
  accounts: 'account',
  meters: 'meter',
  meterReplacements: 'meter replacement',
  readings: 'reading',
};

const FIELD_RU: Record<string, string> = {
  initialValues: 'Начальные показания по акту ввода',
  finalValues: 'Конечные показания снятого прибора',
  values: 'Показания',
};

const MESSAGES: Record<string, (p: P) => [string, string]> = {
  MALFORMED_JSON: (p) => [
    `Файл не является корректным JSON: ${s(p.detail)}.`,
    `The file is not valid JSON: ${s(p.detail)}.`,
  ],
  NOT_A_REGISTRY: () => [
    'Файл не является реестром abonent: ожидается объект с "format": "abonent-registry" и "version": 1.',
    'The file is not an abonent registry: expected an object with "format": "abonent-registry" and "version": 1.',
  ],
  UNSUPPORTED_VERSION: (p) => [
    `Версия формата ${s(p.version)} не поддерживается; поддерживается версия 1.`,
    `Format version ${s(p.version)} is not supported; version 1 is.`,
  ],
  UNKNOWN_SECTION: (p) => [`Неизвестный раздел «${s(p.name)}».`, `Unknown section "${s(p.name)}".`],
  SECTION_NOT_ARRAY: (p) => [
    `Раздел «${s(p.name)}» должен быть массивом.`,
    `Section "${s(p.name)}" must be an array.`,
  ],
  INVALID_ENVELOPE: (p) => [`Заголовок файла: ${s(p.detailRu)}.`, `File header: ${s(p.detail)}.`],
  MALFORMED_CSV: (p) => [
    `CSV-файл повреждён (строка ${s(p.line)}): ${s(p.detail)}.`,
    `The CSV file is malformed (line ${s(p.line)}): ${s(p.detail)}.`,
  ],
  UNKNOWN_CSV: () => [
    'Не удалось определить вид CSV-файла по заголовку: ожидаются столбцы реестра лицевых счетов, приборов учёта или показаний (см. docs/formats.md).',
    'Cannot tell the kind of CSV file from its header: expected the columns of accounts, meters or readings (see docs/formats.md).',
  ],
  UNKNOWN_COLUMN: (p) => [`Неизвестный столбец «${s(p.name)}».`, `Unknown column "${s(p.name)}".`],
  MISSING_COLUMN: (p) => [
    `Нет обязательного столбца «${s(p.name)}».`,
    `Required column "${s(p.name)}" is missing.`,
  ],
  NOT_AN_OBJECT: () => ['Строка должна быть объектом JSON.', 'The row must be a JSON object.'],
  UNKNOWN_FIELD: (p) => [
    `Строка не прошла проверку: ${s(p.detailRu)}.`,
    `The row is invalid: ${s(p.detail)}.`,
  ],
  MISSING_FIELD: (p) => [
    `Строка не прошла проверку: ${s(p.detailRu)}.`,
    `The row is invalid: ${s(p.detail)}.`,
  ],
  INVALID_VALUE: (p) => [
    `Строка не прошла проверку: ${s(p.detailRu)}.`,
    `The row is invalid: ${s(p.detail)}.`,
  ],
  DUPLICATE_IN_FILE: (p) => [
    `Повтор: такая же запись уже есть в файле (строка ${s(p.first)} раздела)${p.field ? `, поле «${s(p.field)}»` : ''}.`,
    `Duplicate: the same record is already in the file (row ${s(p.first)} of the section)${p.field ? `, field "${s(p.field)}"` : ''}.`,
  ],
  DUPLICATE_KEY_CONFLICT: (p) => [
    `Ключ «${s(p.key)}» встречается в файле несколько раз с разными данными (строки ${s(p.rows)}); ни одна из них не принята.`,
    `Key "${s(p.key)}" occurs several times in the file with different data (rows ${s(p.rows)}); none is taken.`,
  ],
  CONFLICTS_WITH_EXISTING: (p) => [
    `Запись «${s(p.key)}» уже есть в базе с другими данными (${s(p.fields)}). Изменения реестра импортом не вносятся.`,
    `Record "${s(p.key)}" already exists with different data (${s(p.fields)}). An import does not change existing records.`,
  ],
  DEPENDS_ON_REJECTED: (p) => [
    `Ссылается на отклонённую запись (${SECTION_RU[s(p.section)] ?? s(p.section)} «${s(p.key)}»).`,
    `Refers to a rejected record (${SECTION_EN[s(p.section)] ?? s(p.section)} "${s(p.key)}").`,
  ],
  REGION_NOT_FOUND: (p) => [
    `Регион «${s(p.code)}» не найден в справочнике.`,
    `Region "${s(p.code)}" is not in the reference data.`,
  ],
  MANAGEMENT_COMPANY_NOT_FOUND: (p) => [
    `Управляющая компания «${s(p.code)}» не найдена ни в файле, ни в базе.`,
    `Management company "${s(p.code)}" is neither in the file nor in the database.`,
  ],
  HOUSE_NOT_FOUND: (p) => [
    `Дом «${s(p.code)}» не найден ни в файле, ни в базе.`,
    `House "${s(p.code)}" is neither in the file nor in the database.`,
  ],
  PREMISES_NOT_FOUND: (p) => [
    `Помещение «${s(p.number)}» дома «${s(p.house)}» не найдено ни в файле, ни в базе.`,
    `Premises "${s(p.number)}" of house "${s(p.house)}" is neither in the file nor in the database.`,
  ],
  PRINCIPAL_NOT_FOUND: (p) => [
    `Принципал «${s(p.code)}» не найден ни в файле, ни в базе.`,
    `Principal "${s(p.code)}" is neither in the file nor in the database.`,
  ],
  ACCOUNT_NOT_FOUND: (p) => [
    `Лицевой счёт ${s(p.number)} не найден ни в файле, ни в базе.`,
    `Account ${s(p.number)} is neither in the file nor in the database.`,
  ],
  METER_NOT_FOUND: (p) => [
    `Прибор учёта ${s(p.serial)} не найден ни в файле, ни в базе.`,
    `Meter ${s(p.serial)} is neither in the file nor in the database.`,
  ],
  PHONE_DUPLICATE: (p) => [`Телефон ${s(p.phone)} указан дважды.`, `Phone ${s(p.phone)} is listed twice.`],
  END_BEFORE_START: () => [
    'Дата закрытия счёта раньше даты открытия.',
    'The end date is before the start date.',
  ],
  ACCOUNT_REQUIRED: () => [
    'Индивидуальный прибор учёта должен быть привязан к лицевому счёту (accountNumber).',
    'An individual meter must name its account (accountNumber).',
  ],
  ACCOUNT_NOT_ALLOWED: () => [
    'Общедомовой прибор учёта не привязывается к лицевому счёту.',
    'A common-house meter has no account.',
  ],
  METER_HOUSE_MISMATCH: (p) => [
    `Лицевой счёт ${s(p.account)} относится к дому «${s(p.accountHouse)}», а прибор учёта указан в доме «${s(p.house)}».`,
    `Account ${s(p.account)} is in house "${s(p.accountHouse)}" but the meter is given in house "${s(p.house)}".`,
  ],
  HEAD_END_REQUIRED: () => [
    'Для интеллектуального прибора учёта нужен идентификатор в системе сбора данных (headEndId).',
    'A smart meter needs its head-end id (headEndId).',
  ],
  FAILED_ON_NOT_FAILED: (p) => [
    `Дата неисправности ${String(p.date)} указана у исправного счётчика (status active).`,
    `A failure date ${String(p.date)} is given for a meter in service (status active).`,
  ],
  HEAD_END_TAKEN: (p) => [
    `Идентификатор ${s(p.headEndId)} уже принадлежит прибору учёта ${s(p.serial)}.`,
    `Head-end id ${s(p.headEndId)} already belongs to meter ${s(p.serial)}.`,
  ],
  COMMON_METER_EXISTS: (p) => [
    `В доме «${s(p.house)}» уже есть действующий общедомовой прибор учёта ${s(p.serial)}.`,
    `House "${s(p.house)}" already has a common-house meter in service: ${s(p.serial)}.`,
  ],
  DATE_IN_FUTURE: (p) => [
    `Дата «${s(p.field)}» (${s(p.date)}) ещё не наступила.`,
    `Date "${s(p.field)}" (${s(p.date)}) is in the future.`,
  ],
  DATE_ORDER: (p) => [
    `Дата «${s(p.field)}» (${s(p.date)}) раньше даты «${s(p.before)}» (${s(p.beforeDate)}).`,
    `Date "${s(p.field)}" (${s(p.date)}) is earlier than "${s(p.before)}" (${s(p.beforeDate)}).`,
  ],
  REPLACEMENT_SAME_METER: () => [
    'Прибор учёта не может заменить сам себя.',
    'A meter cannot replace itself.',
  ],
  REPLACEMENT_NEW_METER_TAKEN: (p) => [
    `Прибор учёта ${s(p.serial)} уже установлен взамен прибора ${s(p.other)}.`,
    `Meter ${s(p.serial)} has already replaced meter ${s(p.other)}.`,
  ],
  READING_ACCOUNT_MISMATCH: (p) => [
    `Прибор учёта ${s(p.serial)} относится к лицевому счёту ${s(p.meterAccount) || '— (общедомовой)'}, а не ${s(p.account)}.`,
    `Meter ${s(p.serial)} belongs to account ${s(p.meterAccount) || '— (common meter)'}, not ${s(p.account)}.`,
  ],
  RECEIVED_IN_FUTURE: () => [
    'Дата получения показаний ещё не наступила.',
    'The received-at moment is in the future.',
  ],
  TAKEN_AFTER_RECEIVED: () => [
    'Показания сняты позже, чем получены.',
    'The reading was taken after it was received.',
  ],
  PERIOD_INCONSISTENT: (p) => [
    `Расчётный период ${s(p.period)} не соответствует дате снятия показаний (${s(p.takenOn)}).`,
    `Period ${s(p.period)} does not match the date the reading was taken (${s(p.takenOn)}).`,
  ],
  BILLED_BEFORE_PERIOD: (p) => [
    `Период счёта ${s(p.billedInPeriod)} раньше расчётного периода показаний ${s(p.period)}.`,
    `Billed-in period ${s(p.billedInPeriod)} is before the reading's period ${s(p.period)}.`,
  ],
  REASON_REQUIRED: () => [
    'Для отклонённых показаний нужен код причины (reasonCode).',
    'A rejected reading needs its reason code (reasonCode).',
  ],
  EXTERNAL_ID_TAKEN: (p) => [
    `Сообщение ${s(p.channel)}/${s(p.externalId)} уже получено с другими показаниями.`,
    `Message ${s(p.channel)}/${s(p.externalId)} was already received with other values.`,
  ],
  LOWER_THAN_ACT: (p) => [
    `Показание Т${s(p.zone)} (${kwh(p.valueWh)}) ниже начального показания по акту ввода прибора учёта (${kwh(p.previousWh)}).`,
    `Reading T${s(p.zone)} (${kwh(p.valueWh)}) is lower than the initial value of the commissioning act (${kwh(p.previousWh)}).`,
  ],
  LOWER_THAN_PREVIOUS: (p) => [
    `Показание Т${s(p.zone)} (${kwh(p.valueWh)}) ниже предыдущего принятого (${kwh(p.previousWh)}, снято ${s(p.previousTakenAt)}). Если счётчик перешёл через ноль, укажите "rollover": true.`,
    `Reading T${s(p.zone)} (${kwh(p.valueWh)}) is lower than the previous accepted one (${kwh(p.previousWh)}, taken ${s(p.previousTakenAt)}). If the register rolled over, set "rollover": true.`,
  ],
  HIGHER_THAN_LATER: (p) => [
    `Показание Т${s(p.zone)} (${kwh(p.valueWh)}) выше уже принятого позднее (${kwh(p.laterWh)}, снято ${s(p.laterTakenAt)}).`,
    `Reading T${s(p.zone)} (${kwh(p.valueWh)}) is higher than one accepted later (${kwh(p.laterWh)}, taken ${s(p.laterTakenAt)}).`,
  ],
  TARIFF_ZONE_MISMATCH: (p) => [
    `Зона «${s(p.zone)}» не бывает у тарифа вида «${s(p.meterType)}».`,
    `Zone "${s(p.zone)}" does not exist for meter type "${s(p.meterType)}".`,
  ],
  RANGE_INVALID: () => [
    'Верхняя граница диапазона объёма должна быть больше нижней.',
    'The upper bound of the volume range must exceed the lower one.',
  ],
  MISSING_METER: (p) => [
    `В помещении «${s(p.number)}» дома «${s(p.house)}» нет действующего прибора учёта: начисление будет по нормативу (§6.1 п. 4).`,
    `Premises "${s(p.number)}" of house "${s(p.house)}" has no meter in service: it will be billed by the norm (§6.1 item 4).`,
  ],
};

/** The message of a reason code in Russian and English. */
export function importMessage(code: string, params: P = {}): { message: string; messageEn: string } {
  const own = MESSAGES[code];
  if (own) {
    const [message, messageEn] = own(params);
    return { message, messageEn };
  }
  // A reason code of the readings intake (register values, zone count, dates).
  const field = params.field === undefined ? undefined : s(params.field);
  const prefixRu = field ? `${FIELD_RU[field] ?? field}: ` : '';
  const prefixEn = field ? `${field}: ` : '';
  return {
    message: `${prefixRu}${reasonMessage(code, params, 'ru')}`,
    messageEn: `${prefixEn}${reasonMessage(code, params, 'en')}`,
  };
}
