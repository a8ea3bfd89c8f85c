import { formatMoney } from '../../domain/money.ts';
import type { EncodingProblem, RegistryFileProblem } from './registry-parse.ts';

/** What the accountant is told (ru / en) about a refused registry file and about each line not credited. */

export type RegistryRefusalCode =
  | RegistryFileProblem
  | 'BAD_BANK'
  | 'BANK_REQUIRED'
  | 'REGISTRY_NUMBER_REUSED'
  | 'REGISTRY_DATE_IN_FUTURE'
  | 'FILE_TOO_LARGE';

export interface Text {
  ru: string;
  en: string;
}

const ENCODING: Record<EncodingProblem, Text> = {
  NUL_BYTES: {
    ru: 'в файле нулевые байты — это не текстовый реестр',
    en: 'it has NUL bytes: not a text registry',
  },
  CONTROL_CHARACTERS: {
    ru: 'в файле управляющие символы или символы замены «�» — файл повреждён или уже был неверно перекодирован',
    en: 'it has control or replacement characters: damaged, or already converted wrongly',
  },
  MIXED_ENCODINGS: {
    ru: 'в файле смешаны кодировки UTF-8 и windows-1251',
    en: 'it mixes the UTF-8 and windows-1251 encodings',
  },
  NOT_TEXT: {
    ru: 'байты файла не являются текстом ни в windows-1251, ни в UTF-8',
    en: 'its bytes are text neither in windows-1251 nor in UTF-8',
  },
  BROKEN_CYRILLIC: {
    ru: 'кириллица в файле дважды перекодирована («РЎРёРґРѕСЂРѕРІ»)',
    en: 'its Cyrillic was converted twice between encodings',
  },
};

const RUB = (k: unknown) => formatMoney(Number(k));
const RUB_EN = (k: unknown) => formatMoney(Number(k), 'en');

/** Why a whole file was refused. Nothing was credited. */
export function refusalText(code: RegistryRefusalCode, p: Record<string, unknown>): Text {
  const line = p.line === undefined ? '' : ` (строка ${p.line})`;
  const lineEn = p.line === undefined ? '' : ` (line ${p.line})`;
  const body = ((): Text => {
    switch (code) {
      case 'ENCODING_INVALID': {
        const e = ENCODING[p.reason as EncodingProblem] ?? ENCODING.NOT_TEXT;
        return {
          ru: `кодировка не распознана: ${e.ru}${line}. Принимаются windows-1251 и UTF-8`,
          en: `unrecognised encoding: ${e.en}${lineEn}. windows-1251 and UTF-8 are accepted`,
        };
      }
      case 'EMPTY':
        return { ru: 'файл пуст', en: 'the file is empty' };
      case 'NO_CONTROL_LINE':
        return {
          ru: 'последняя строка должна быть контрольной: «=количество;сумма;перечислено;комиссия;номер реестра;ДД-ММ-ГГГГ»',
          en: 'the last line must be the control line "=count;total;transferred;commission;number;DD-MM-YYYY"',
        };
      case 'BAD_CONTROL_LINE':
        return p.field === 'position'
          ? {
              ru: `контрольная строка${line} должна быть последней`,
              en: `the control line${lineEn} must be the last one`,
            }
          : {
              ru: `контрольная строка${line} не разобрана (поле: ${String(p.field)}); ожидается «=количество;сумма;перечислено;комиссия;номер реестра;ДД-ММ-ГГГГ»`,
              en: `the control line${lineEn} is malformed (${String(p.field)}); "=count;total;transferred;commission;number;DD-MM-YYYY" expected`,
            };
      case 'CONTROL_COUNT_MISMATCH':
        return {
          ru: `в контрольной строке ${p.controlCount} платежей, а в файле ${p.lineCount}`,
          en: `the control line says ${p.controlCount} payments, the file has ${p.lineCount}`,
        };
      case 'CONTROL_TOTAL_MISMATCH': {
        const unreadable = (p.unreadableLines as number[] | undefined) ?? [];
        return unreadable.length > 0
          ? {
              ru: `суммы в строках ${unreadable.slice(0, 10).join(', ')} не читаются — контрольную сумму ${RUB(p.controlTotalKopecks)} не проверить`,
              en: `the amounts of lines ${unreadable.slice(0, 10).join(', ')} are unreadable: the control total ${RUB_EN(p.controlTotalKopecks)} cannot be checked`,
            }
          : {
              ru: `сумма по контрольной строке ${RUB(p.controlTotalKopecks)}, а по строкам ${RUB(p.linesTotalKopecks)}`,
              en: `the control line says ${RUB_EN(p.controlTotalKopecks)}, the lines add up to ${RUB_EN(p.linesTotalKopecks)}`,
            };
      }
      case 'BAD_BANK':
        return {
          ru: `код банка «${String(p.bank)}»: латинские буквы, цифры, _ . - (до 32 символов)`,
          en: `bank code "${String(p.bank)}": Latin letters, digits, _ . - (up to 32)`,
        };
      case 'BANK_REQUIRED':
        return {
          ru: 'не указан банк: укажите --bank КОД (или ?bank=) либо назовите файл «КОД_…», например sber_20112026.txt',
          en: 'no bank given: pass --bank CODE (or ?bank=), or name the file "CODE_…", e.g. sber_20112026.txt',
        };
      case 'REGISTRY_NUMBER_REUSED':
        return {
          ru: `реестр № ${p.number} от ${p.date} банка ${p.bank} уже загружен (id ${p.registryId}) из другого файла с другими платежами. Исправленный реестр банк должен прислать под новым номером`,
          en: `registry ${p.number} of ${p.date} from ${p.bank} was already imported (id ${p.registryId}) from another file with other payments; a corrected registry needs a new number`,
        };
      case 'REGISTRY_DATE_IN_FUTURE':
        return {
          ru: `дата реестра ${p.date} ещё не наступила`,
          en: `the registry date ${p.date} is in the future`,
        };
      case 'FILE_TOO_LARGE':
        return {
          ru: `файл больше ${p.maxBytes} байт`,
          en: `the file exceeds ${p.maxBytes} bytes`,
        };
    }
  })();
  // The file itself is wrong: only the bank can send a right one.
  const fromBank = !['BAD_BANK', 'BANK_REQUIRED', 'FILE_TOO_LARGE'].includes(code);
  return {
    ru: `Реестр не принят: ${body.ru}. Ничего не зачислено${fromBank ? '; запросите у банка исправленный файл' : ''}.`,
    en: `Registry refused: ${body.en}. Nothing was credited${fromBank ? '; ask the bank for a corrected file' : ''}.`,
  };
}

/** Why one line was not credited (or was credited before), for the report's list. */
export function lineReasonText(code: string, p: Record<string, unknown> = {}): Text {
  switch (code) {
    case 'ALREADY_CREDITED':
      return {
        ru: `операция уже зачислена ранее${p.registryId ? ` (реестр id ${p.registryId})` : ''}, повторно не зачислена`,
        en: `the operation was credited before${p.registryId ? ` (registry id ${p.registryId})` : ''}; not credited again`,
      };
    case 'DUPLICATE_IN_FILE':
      return {
        ru: `номер операции повторяется в этом реестре (впервые в строке ${p.firstLine ?? '?'}), не зачислено`,
        en: `the operation id repeats in this registry (first on line ${p.firstLine ?? '?'}); not credited`,
      };
    case 'ACCOUNT_NOT_FOUND':
      return {
        ru: 'лицевой счёт не найден — невыясненный платёж',
        en: 'account not found: unidentified payment',
      };
    case 'BAD_ACCOUNT_FORMAT':
      return {
        ru: 'номер лицевого счёта указан неверно — невыясненный платёж',
        en: 'malformed account number: unidentified payment',
      };
    case 'ACCOUNT_CLOSED':
      return { ru: 'лицевой счёт закрыт', en: 'the account is closed' };
    case 'AMOUNT_NOT_POSITIVE':
      return { ru: 'сумма не больше нуля', en: 'the amount is not above zero' };
    case 'AMOUNT_TOO_SMALL':
      return { ru: 'сумма меньше минимальной', en: 'the amount is below the minimum' };
    case 'AMOUNT_OVER_LIMIT':
      return { ru: 'сумма больше допустимой', en: 'the amount is over the limit' };
    case 'PERIOD_INVALID':
    case 'BAD_PERIOD':
      return { ru: 'период оплаты указан неверно (ММГГГГ)', en: 'malformed period paid (MMYYYY)' };
    case 'BAD_LINE':
      return {
        ru: 'строка не разобрана: не 10 полей через «;»',
        en: 'unreadable line: not 10 fields separated by ";"',
      };
    case 'BAD_DATE':
      return { ru: 'неверные дата или время платежа', en: 'malformed payment date or time' };
    case 'DATE_AFTER_REGISTRY':
      return { ru: 'дата платежа позже даты реестра', en: 'the payment date is after the registry date' };
    case 'BAD_AMOUNT':
      return { ru: 'неверная сумма', en: 'malformed amount' };
    case 'NO_OPERATION_ID':
      return { ru: 'нет номера операции банка', en: "no bank's operation id" };
    case 'BAD_OPERATION_ID':
      return {
        ru: 'номер операции банка указан неверно (до 64 букв и цифр)',
        en: "malformed bank's operation id (up to 64 letters and digits)",
      };
    case 'IDEMPOTENCY_CONFLICT':
      return {
        ru: 'этот номер операции уже зачислен с другими данными (счёт, сумма, период или время)',
        en: 'this operation id was already credited with other data (account, amount, period or time)',
      };
    default:
      return { ru: `не принято (${code})`, en: `not taken (${code})` };
  }
}
