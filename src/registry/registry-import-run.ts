import { z } from 'zod';
import type { ReadingsWindow } from '../domain/readings-window.ts';
import {
  FIELD_MESSAGES,
  type ReportEntry,
  ROW_SCHEMAS,
  type RowOf,
  SECTIONS,
  type Section,
} from './registry-format.ts';
import { importMessage } from './registry-import-messages.ts';
import type { StoredReadingRec } from './registry-io.repository.ts';
import { displayKey, keyParts, mapKey, type RecOf } from './registry-rows.ts';

/**
 * The state of one import while it is validated: every row of the file with its status, the records the
 * file refers to that are already stored, and the report being built.
 */

export type RowStatus = 'pending' | 'insert' | 'unchanged' | 'rejected';

export interface RowState<S extends Section> {
  index: number;
  raw: unknown;
  row: RowOf<S> | undefined;
  parts: string[] | undefined;
  key: string | undefined;
  rec: RecOf[S] | undefined;
  status: RowStatus;
}

type PerSection<T extends Record<Section, unknown>> = { [S in Section]: T[S] };
type States = PerSection<{ [S in Section]: RowState<S>[] }>;
type ByKey = PerSection<{ [S in Section]: Map<string, RowState<S>[]> }>;
type Existing = PerSection<{ [S in Section]: Map<string, RecOf[S]> }>;

export type Ref<R> =
  | { found: 'file' | 'db'; rec: R }
  | { found: 'rejected'; parts: string[] }
  | { found: 'missing' };

export interface ParameterRow {
  regionCode: string | null;
  key: string;
  value: unknown;
  effectiveFrom: string;
}

const EN = z.locales.en();
const RU = z.locales.ru();

export class ImportRun {
  readonly rows = Object.fromEntries(SECTIONS.map((s) => [s, []])) as unknown as States;
  readonly byKey = Object.fromEntries(SECTIONS.map((s) => [s, new Map()])) as unknown as ByKey;
  readonly existing = Object.fromEntries(SECTIONS.map((s) => [s, new Map()])) as unknown as Existing;
  readonly rejected: ReportEntry[] = [];
  readonly warnings: ReportEntry[] = [];
  /** Region code → time zone. */
  regions = new Map<string, string>();
  /** Effective-dated parameter rows (readings_window, future_tolerance_minutes). */
  parameters: ParameterRow[] = [];
  /** Stored readings of the meters the file has readings for, by serial, in id order. */
  storedReadings = new Map<string, StoredReadingRec[]>();
  /** Stored readings by channel + external id. */
  storedExternalIds = new Map<string, StoredReadingRec>();
  /** Stored meters by head-end id → serial; stored common meters in service by house → serial. */
  storedHeadEnds = new Map<string, string>();
  storedCommonMeters = new Map<string, string>();
  /** Stored replacements by the new meter's serial → the old one's. */
  storedReplacedBy = new Map<string, string>();
  /** Keys (house, number) of stored premises with a meter in service. */
  storedPremisesWithMeter = new Set<string>();

  constructor(readonly now: Date) {}

  /** Reads the rows of a section: schema, natural key. */
  addSection<S extends Section>(section: S, raw: unknown[]): void {
    const schema = ROW_SCHEMAS[section] as unknown as z.ZodType<RowOf<S>>;
    const states = this.rows[section] as RowState<S>[];
    raw.forEach((value, index) => {
      const state: RowState<S> = {
        index,
        raw: value,
        row: undefined,
        parts: undefined,
        key: undefined,
        rec: undefined,
        status: 'pending',
      };
      states.push(state);
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        this.reject(section, state, 'NOT_AN_OBJECT');
        return;
      }
      const parsed = schema.safeParse(value, { error: EN.localeError });
      if (!parsed.success) {
        this.rejectInvalid(section, state, schema, parsed.error.issues);
        return;
      }
      state.row = parsed.data;
      this.index(
        section,
        state,
        keyParts(section, parsed.data as unknown as Record<string, unknown>) as string[],
      );
    });
  }

  /** Registers a row under its natural key (also a rejected row, so that rows referring to it depend on it). */
  private index<S extends Section>(section: S, state: RowState<S>, parts: string[]): void {
    state.parts = parts;
    state.key = mapKey(parts);
    const map = this.byKey[section] as Map<string, RowState<S>[]>;
    const list = map.get(state.key);
    if (list) list.push(state);
    else map.set(state.key, [state]);
  }

  private rejectInvalid<S extends Section>(
    section: S,
    state: RowState<S>,
    schema: z.ZodType,
    issues: z.core.$ZodIssue[],
  ): void {
    const ru = schema.safeParse(state.raw, { error: RU.localeError });
    const ruIssues = ru.success ? issues : ru.error.issues;
    const render = (issue: z.core.$ZodIssue, lang: 0 | 1, fallback: string) => {
      const path = issue.path.map(String).join('.');
      if (issue.code === 'unrecognized_keys')
        return issue.keys
          .map((k) => (lang === 0 ? `неизвестное поле «${k}»` : `unknown field "${k}"`))
          .join(', ');
      const text = FIELD_MESSAGES[issue.message]?.[lang] ?? fallback;
      return lang === 0 ? `«${path}» — ${text}` : `"${path}" — ${text}`;
    };
    const detail = issues.map((i) => render(i, 1, i.message)).join('; ');
    const detailRu = issues.map((i, n) => render(i, 0, ruIssues[n]?.message ?? i.message)).join('; ');
    const missing = issues.some(
      (i) => i.code === 'invalid_type' && valueAt(state.raw, i.path as PropertyKey[]) === undefined,
    );
    const code = issues.some((i) => i.code === 'unrecognized_keys')
      ? 'UNKNOWN_FIELD'
      : missing
        ? 'MISSING_FIELD'
        : 'INVALID_VALUE';
    // The key as written, when its fields are there: the report names the row, references to it depend on it.
    const parts = keyParts(section, state.raw as Record<string, unknown>);
    if (parts) this.index(section, state, parts);
    this.reject(section, state, code, { detail, detailRu });
  }

  reject<S extends Section>(
    section: S,
    state: RowState<S>,
    code: string,
    params: Record<string, unknown> = {},
  ): void {
    state.status = 'rejected';
    this.rejected.push({
      section,
      row: state.index,
      key: state.parts ? displayKey(state.parts) : null,
      code,
      ...importMessage(code, params),
    });
  }

  warn(
    section: Section,
    index: number,
    parts: string[],
    code: string,
    params: Record<string, unknown>,
  ): void {
    this.warnings.push({ section, row: index, key: displayKey(parts), code, ...importMessage(code, params) });
  }

  /** Rows of a section still waiting for their checks. */
  pending<S extends Section>(section: S): (RowState<S> & { row: RowOf<S>; parts: string[]; key: string })[] {
    return (this.rows[section] as RowState<S>[]).filter((s) => s.status === 'pending') as (RowState<S> & {
      row: RowOf<S>;
      parts: string[];
      key: string;
    })[];
  }

  /**
   * What a reference by natural key finds: a row of the file that is taken (inserted or unchanged), a row
   * of the file that was rejected (then the referring row is rejected too), a stored record, or nothing.
   */
  ref<S extends Section>(section: S, parts: string[]): Ref<RecOf[S]> {
    const key = mapKey(parts);
    const inFile = (this.byKey[section] as Map<string, RowState<S>[]>).get(key);
    if (inFile) {
      const taken = inFile.find((s) => s.status === 'insert' || s.status === 'unchanged');
      if (taken?.rec) return { found: 'file', rec: taken.rec };
      return { found: 'rejected', parts };
    }
    const stored = (this.existing[section] as Map<string, RecOf[S]>).get(key);
    return stored ? { found: 'db', rec: stored } : { found: 'missing' };
  }

  /**
   * Resolves a reference for a row, rejecting the row (DEPENDS_ON_REJECTED or `notFound`) when it fails.
   */
  need<S extends Section, T extends Section>(
    section: S,
    state: RowState<S>,
    target: T,
    parts: string[],
    notFound: string,
    params: Record<string, unknown>,
  ): RecOf[T] | undefined {
    const r = this.ref(target, parts);
    if (r.found === 'file' || r.found === 'db') return r.rec;
    if (r.found === 'rejected')
      this.reject(section, state, 'DEPENDS_ON_REJECTED', { section: target, key: displayKey(parts) });
    else this.reject(section, state, notFound, params);
    return undefined;
  }

  /**
   * The last step of a row's checks: a new record is to be inserted; one identical to the stored record
   * with the same key is unchanged (re-import is idempotent); one that differs is refused.
   */
  settle<S extends Section>(
    section: S,
    state: RowState<S>,
    rec: RecOf[S],
    render: (r: RecOf[S]) => object,
  ): void {
    state.rec = rec;
    const stored =
      state.key === undefined ? undefined : (this.existing[section] as Map<string, RecOf[S]>).get(state.key);
    if (!stored) {
      state.status = 'insert';
      return;
    }
    const mine = render(rec) as Record<string, unknown>;
    const theirs = render(stored) as Record<string, unknown>;
    const fields = [...new Set([...Object.keys(mine), ...Object.keys(theirs)])].filter(
      (f) => JSON.stringify(mine[f]) !== JSON.stringify(theirs[f]),
    );
    if (fields.length === 0) state.status = 'unchanged';
    else
      this.reject(section, state, 'CONFLICTS_WITH_EXISTING', {
        key: displayKey(state.parts ?? []),
        fields: fields.join(', '),
      });
  }

  /** Rows that repeat a natural key: identical repeats are dropped, differing ones all refused. */
  rejectDuplicateKeys(): void {
    for (const section of SECTIONS) {
      for (const list of (this.byKey[section] as Map<string, RowState<Section>[]>).values()) {
        if (list.length < 2) continue;
        const first = list[0] as RowState<Section>;
        const same = list.every(
          (s) => s.row !== undefined && JSON.stringify(s.row) === JSON.stringify(first.row),
        );
        if (same) {
          for (const s of list.slice(1)) this.reject(section, s, 'DUPLICATE_IN_FILE', { first: first.index });
        } else {
          // Differing rows under one key (an invalid one included): which is right is unknown, none is taken.
          const rows = list.map((s) => s.index).join(', ');
          for (const s of list) {
            if (s.status === 'rejected') continue;
            this.reject(section, s, 'DUPLICATE_KEY_CONFLICT', { key: displayKey(s.parts ?? []), rows });
          }
        }
      }
    }
  }

  /** A second unique field of a section (head-end id, a new meter's serial, channel + external id). */
  rejectDuplicateField<S extends Section>(
    section: S,
    field: string,
    fieldOf: (row: RowOf<S>) => string | undefined,
  ): void {
    const seen = new Map<string, number>();
    for (const state of this.pending(section)) {
      const v = fieldOf(state.row);
      if (v === undefined) continue;
      const first = seen.get(v);
      if (first === undefined) seen.set(v, state.index);
      else this.reject(section, state, 'DUPLICATE_IN_FILE', { first, field });
    }
  }

  /** A parameter in force in a region on a date: the region's own row wins, then the latest effective. */
  parameter(regionCode: string, key: string, date: string): unknown {
    let best: ParameterRow | undefined;
    for (const p of this.parameters) {
      if (p.key !== key || p.effectiveFrom > date) continue;
      if (p.regionCode !== null && p.regionCode !== regionCode) continue;
      if (!best) {
        best = p;
        continue;
      }
      const own = p.regionCode !== null;
      const bestOwn = best.regionCode !== null;
      if ((own && !bestOwn) || (own === bestOwn && p.effectiveFrom > best.effectiveFrom)) best = p;
    }
    return best?.value;
  }

  readingsWindow(regionCode: string, date: string): ReadingsWindow {
    return this.required(regionCode, 'readings_window', date) as ReadingsWindow;
  }

  futureToleranceMs(regionCode: string, date: string): number {
    return Number(this.required(regionCode, 'future_tolerance_minutes', date)) * 60_000;
  }

  private required(regionCode: string, key: string, date: string): unknown {
    const v = this.parameter(regionCode, key, date);
    if (v === undefined)
      throw new Error(`parameter "${key}" has no value in force for ${regionCode} on ${date}`);
    return v;
  }
}

function valueAt(value: unknown, path: PropertyKey[]): unknown {
  let v = value;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}
