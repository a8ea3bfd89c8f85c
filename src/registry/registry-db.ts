import { type RawBuilder, sql } from 'kysely';
import type { Clock } from '../platform/clock.ts';
import { type Db, PgError, pgErrorCode, type Tx } from '../platform/database.ts';
import { ApiError } from '../platform/http.ts';

/** Shared plumbing of the registry's repositories and use cases: SET clauses, transactions, key conflicts. */

/** `col = value, …` for the fields of `patch` that are not undefined (null clears the column). */
export function setClause(
  patch: Record<string, unknown>,
  columns: Record<string, string>,
): RawBuilder<unknown> | undefined {
  const parts: RawBuilder<unknown>[] = [];
  for (const [field, column] of Object.entries(columns)) {
    const value = patch[field];
    if (value !== undefined) parts.push(sql`${sql.ref(column)} = ${value}`);
  }
  return parts.length === 0 ? undefined : sql.join(parts, sql`, `);
}

interface Conflict {
  code: string;
  ru: (key: string) => string;
  en: (key: string) => string;
}

/** Unique keys of the registry tables (by table, then constraint name) → 409 with a reason code. */
const CONFLICTS: Record<string, Record<string, Conflict> & { '*'?: Conflict }> = {
  region: {
    '*': {
      code: 'REGION_EXISTS',
      ru: (k) => `Регион ${k} уже существует.`,
      en: (k) => `Region ${k} already exists.`,
    },
  },
  principal: {
    '*': {
      code: 'PRINCIPAL_EXISTS',
      ru: (k) => `Принципал с кодом ${k} уже существует.`,
      en: (k) => `Principal ${k} already exists.`,
    },
  },
  management_company: {
    '*': {
      code: 'MANAGEMENT_COMPANY_EXISTS',
      ru: (k) => `Управляющая компания с кодом ${k} уже существует.`,
      en: (k) => `Management company ${k} already exists.`,
    },
  },
  house: {
    '*': {
      code: 'HOUSE_EXISTS',
      ru: (k) => `Дом с кодом ${k} уже существует.`,
      en: (k) => `House ${k} already exists.`,
    },
  },
  premises: {
    '*': {
      code: 'PREMISES_EXISTS',
      ru: (k) => `Помещение уже есть в этом доме (${k}).`,
      en: (k) => `The premises already exist in this house (${k}).`,
    },
  },
  account: {
    '*': {
      code: 'ACCOUNT_EXISTS',
      ru: (k) => `Лицевой счёт ${k} уже существует.`,
      en: (k) => `Account ${k} already exists.`,
    },
  },
  meter: {
    meter_serial_key: {
      code: 'METER_SERIAL_EXISTS',
      ru: (k) => `Счётчик с заводским номером ${k} уже зарегистрирован.`,
      en: (k) => `A meter with serial ${k} is already registered.`,
    },
    meter_head_end_uq: {
      code: 'HEAD_END_EXISTS',
      ru: (k) => `Идентификатор ${k} в системе сбора данных уже привязан к другому счётчику.`,
      en: (k) => `Head-end id ${k} is already linked to another meter.`,
    },
    meter_common_uq: {
      code: 'COMMON_METER_EXISTS',
      ru: () => 'У дома уже есть действующий общедомовой счётчик.',
      en: () => 'The house already has a common meter in service.',
    },
  },
  meter_replacement: {
    '*': {
      code: 'METER_ALREADY_REPLACED',
      ru: () => 'Этот счётчик уже заменён.',
      en: () => 'This meter has already been replaced.',
    },
  },
  tariff: {
    '*': {
      code: 'TARIFF_EXISTS',
      ru: (k) => `Такой тариф с этой даты уже задан (${k}).`,
      en: (k) => `This tariff is already set from that date (${k}).`,
    },
  },
  norm: {
    '*': {
      code: 'NORM_EXISTS',
      ru: (k) => `Такой норматив с этой даты уже задан (${k}).`,
      en: (k) => `This norm is already set from that date (${k}).`,
    },
  },
  common_norm: {
    '*': {
      code: 'COMMON_NORM_EXISTS',
      ru: (k) => `Норматив ОДН с этой даты уже задан (${k}).`,
      en: (k) => `The common-needs norm is already set from that date (${k}).`,
    },
  },
  parameter: {
    '*': {
      code: 'PARAMETER_EXISTS',
      ru: (k) => `Значение параметра с этой даты уже задано (${k}).`,
      en: (k) => `The parameter already has a value from that date (${k}).`,
    },
  },
};

const FOREIGN_KEY_VIOLATION = '23503';

/** Turns a unique violation into a 409 ApiError with the registry's reason code (a foreign-key one into 422). */
export function conflictError(e: unknown): unknown {
  if (pgErrorCode(e) === FOREIGN_KEY_VIOLATION) {
    // A referenced row vanished between the check and the write (the checks run first, so this is a race).
    return new ApiError(
      422,
      'REFERENCE_NOT_FOUND',
      'Связанная запись не найдена; ничего не сохранено.',
      'A referenced record was not found; nothing was saved.',
    );
  }
  if (pgErrorCode(e) !== PgError.uniqueViolation) return e;
  const { table, constraint, detail } = e as { table?: string; constraint?: string; detail?: string };
  const byTable = CONFLICTS[table ?? ''];
  const c = byTable?.[constraint ?? ''] ?? byTable?.['*'];
  if (!c) return e;
  const key = /=\((.*)\) already exists/.exec(detail ?? '')?.[1] ?? '';
  return new ApiError(409, c.code, c.ru(key), c.en(key), { key });
}

/** One use case, one transaction: all or nothing, unique violations answered as 409. */
export async function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await db.transaction().execute(work);
  } catch (e) {
    throw conflictError(e);
  }
}

/** A read of several queries that must agree with each other (one snapshot). */
export function inSnapshot<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction().setIsolationLevel('repeatable read').execute(work);
}

export function notFound(code: string, ru: string, en: string, status = 404): ApiError {
  return new ApiError(status, code, ru, en);
}

/** What every registry use case runs on. */
export interface RegistryDeps {
  db: Db;
  clock: Clock;
}
