import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportRegistryText, importRegistryText } from '../../src/registry/index.ts';
import { seedDemoCity } from '../../src/registry/seed.service.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

let a: TestDatabase;
let b: TestDatabase;
beforeAll(async () => {
  [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
});
afterAll(async () => {
  await Promise.all([a?.drop(), b?.drop()]);
});

describe('the demo city round-trips through the registry format', () => {
  it('seed → export → import into an empty database → export is byte-identical', async () => {
    const now = new Date('2026-11-20T10:00:00Z');
    await seedDemoCity(a, { accounts: 400, seed: 3, now });
    // The sample must contain what the format has to carry: failed meters with their failure day, smart and
    // zone meters, common meters, rolled-over registers.
    const shape = await sql<{
      failed: number;
      withDay: number;
      smart: number;
      three: number;
      common: number;
    }>`
      SELECT count(*) FILTER (WHERE status = 'failed')::int AS failed,
             count(*) FILTER (WHERE failed_on IS NOT NULL)::int AS "withDay",
             count(*) FILTER (WHERE smart)::int AS smart,
             count(*) FILTER (WHERE zones = 3)::int AS three,
             count(*) FILTER (WHERE kind = 'common')::int AS common
      FROM meter`.execute(a.db);
    const s = shape.rows[0]!;
    expect(s.smart).toBeGreaterThan(0);
    expect(s.three).toBeGreaterThan(0);
    expect(s.failed).toBeGreaterThan(0);
    expect(s.withDay).toBe(s.failed);

    const first = await exportRegistryText(a);
    const report = await importRegistryText(b, first, { partial: false, now });
    expect(report.rejected).toEqual([]);
    expect(report.ok).toBe(true);
    const second = await exportRegistryText(b);
    expect(second).toBe(first);
    const again = await importRegistryText(b, first, { partial: false, now });
    expect(again.ok).toBe(true);
    expect(Object.values(again.counts).every((c) => c.inserted === 0)).toBe(true);
  });
});
