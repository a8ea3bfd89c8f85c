import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoCity } from '../../src/registry/seed.service.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

describe('smoke', () => {
  it('seeds', async () => {
    const s = await seedDemoCity(db, { accounts: 2000, seed: 1, now: new Date('2026-03-20T09:00:00Z') });
    console.log(JSON.stringify(s, null, 1));
    const r = await db.pool.query('SELECT * FROM reading ORDER BY id LIMIT 5');
    console.log(r.rows);
    expect(s.accounts).toBe(2000);
  });
});
