import { Command, CommanderError } from 'commander';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliContext, CliInputError } from '../../src/cli/cli-context.ts';
import { registerRegistryCommands } from '../../src/cli/commands/registry.command.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { countRows } from '../support/fixtures.ts';
import {
  expectAnswer,
  openRegistryApi,
  type RegistryApi,
  seedAccount,
  seedMeter,
} from '../support/registry-api.ts';

let api: RegistryApi;
let s: Awaited<ReturnType<typeof seedAccount>>;

beforeAll(async () => {
  api = await openRegistryApi('2026-11-20T10:00:00Z');
  s = await seedAccount(api);
  await seedMeter(api, s.number, 'CLI-OLD-1', { zones: 2, digits: 6 });
  await sql`
    INSERT INTO reading (meter_id, account_id, values_wh, taken_at, received_at, channel, period, status)
    SELECT id, account_id, '{1000000,400000}', '2026-10-20T09:00:00Z', '2026-10-20T09:00:00Z', 'sms', '2026-10', 'accepted'
    FROM meter WHERE serial = 'CLI-OLD-1'`.execute(api.t.db);
  expectAnswer(
    await api.post('/api/v1/tariffs', {
      region: 'moscow',
      category: 'gas_stove',
      meterType: 'single',
      zone: 'single',
      price: '7.87',
      effectiveFrom: '2025-07-01',
    }),
    201,
  );
  expectAnswer(
    await api.post('/api/v1/norms', {
      region: 'moscow',
      stoveType: 'gas',
      rooms: 2,
      residents: 2,
      kwhPerPerson: '74',
      effectiveFrom: '2025-01-01',
    }),
    201,
  );
});
afterAll(async () => {
  await api?.close();
});

/** Runs `abonent <args>` over the test database; returns what it printed, or the refusal it threw. */
async function abonent(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CliContext = {
    app: async () => ({
      config: loadConfig({}),
      database: api.t,
      url: api.t.url,
      clock: api.clock,
      embedded: false,
      close: async () => {},
    }),
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    interactive: false,
  };
  const program = new Command('abonent')
    .exitOverride()
    .configureOutput({ writeOut: (t) => out.push(t), writeErr: (t) => err.push(t) });
  registerRegistryCommands(program, ctx);
  let error: unknown;
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (e) {
    error = e;
  }
  return { out: out.join('\n'), err: err.join('\n'), error };
}

const json = (r: { out: string; error: unknown }) => {
  expect(r.error).toBeUndefined();
  return JSON.parse(r.out);
};
const refusal = (r: { error: unknown }) => {
  expect(r.error).toBeInstanceOf(CliInputError);
  return (r.error as CliInputError).code;
};

describe('abonent accounts', () => {
  it('show --json prints exactly the API account card', async () => {
    const card = json(await abonent('accounts', 'show', s.number, '--json'));
    expect(card).toEqual((await api.get(`/api/v1/accounts/${s.number}`)).body);
    expect(card.meters[0]).toMatchObject({ serial: 'CLI-OLD-1', zoneNames: ['day', 'night'] });
  });

  it('show without --json is readable', async () => {
    const r = await abonent('accounts', 'show', s.number);
    expect(r.error).toBeUndefined();
    expect(r.out).toContain(`Лицевой счёт ${s.number} — действует`);
    expect(r.out).toContain('T1 день, T2 ночь');
    expect(r.out).toContain('последние принятые показания: 1000 / 400 за 2026-10');
  });

  it('unknown or malformed account numbers exit with bad input', async () => {
    expect(refusal(await abonent('accounts', 'show', '5555555555'))).toBe('ACCOUNT_NOT_FOUND');
    expect(refusal(await abonent('accounts', 'show', 'abc'))).toBe('VALIDATION_FAILED');
  });

  it('search finds by phone and by serial', async () => {
    expect(json(await abonent('accounts', 'search', s.phone, '--json')).accounts).toEqual([
      expect.objectContaining({ number: s.number, matchedBy: 'phone' }),
    ]);
    expect((await abonent('accounts', 'search', 'cli-old-1')).out).toContain(`${s.number}  действует`);
    expect(refusal(await abonent('accounts', 'search', 'x'))).toBe('VALIDATION_FAILED');
  });
});

describe('abonent houses, meters, tariffs, norms', () => {
  it('houses list --region', async () => {
    expect(json(await abonent('houses', 'list', '--region', 'moscow', '--json')).houses).toEqual([
      expect.objectContaining({ code: s.house, premisesCount: 1, managementCompany: s.company }),
    ]);
    expect(json(await abonent('houses', 'list', '--region', 'yakutia', '--json')).houses).toEqual([]);
    expect(refusal(await abonent('houses', 'list', '--region', 'Moscow!'))).toBe('VALIDATION_FAILED');
  });

  it('meters show', async () => {
    expect(json(await abonent('meters', 'show', 'CLI-OLD-1', '--json'))).toMatchObject({
      serial: 'CLI-OLD-1',
      account: s.number,
      lastReading: { values: ['1000', '400'] },
    });
    expect(refusal(await abonent('meters', 'show', 'NOPE-1'))).toBe('METER_NOT_FOUND');
  });

  it('meters replace: refusals write nothing, then the replacement', async () => {
    const tables = ['meter', 'reading', 'meter_replacement'];
    const counts = async () => Promise.all(tables.map((t) => countRows(api.t.db, t)));
    const before = await counts();
    const args = (final: string, ...more: string[]) => [
      'meters',
      'replace',
      'CLI-OLD-1',
      '--final',
      final,
      '--new-serial',
      'CLI-NEW-1',
      '--initial',
      '0',
      '--zones',
      '1',
      '--digits',
      '5',
      '--verification-date',
      '2040-01-01',
      '--at',
      '2026-11-19T12:00:00+03:00',
      ...more,
    ];
    expect(refusal(await abonent(...args('1100,399')))).toBe('FINAL_LOWER_THAN_PREVIOUS');
    expect(refusal(await abonent(...args('1100')))).toBe('ZONE_COUNT_MISMATCH');
    expect(refusal(await abonent(...args('1100,450', '--zones', 'two')))).toBe('VALIDATION_FAILED');
    const missing = await abonent('meters', 'replace', 'CLI-OLD-1', '--final', '1');
    expect(missing.error).toBeInstanceOf(CommanderError);
    expect(await counts()).toEqual(before);

    const r = json(await abonent(...args('1100 450', '--act', 'A-9', '--json')));
    expect(r).toMatchObject({
      actNumber: 'A-9',
      finalReading: { period: '2026-11', consumptionWh: [100_000, 50_000] },
      oldMeter: { status: 'removed', removedOn: '2026-11-19' },
      newMeter: { serial: 'CLI-NEW-1', zones: 1, commissionedOn: '2026-11-19', initialValues: ['0'] },
    });
    const human = await abonent('meters', 'show', 'CLI-NEW-1');
    expect(human.out).toContain('заменил счётчик CLI-OLD-1');
  });

  it('meters fail needs a reason', async () => {
    expect(
      json(await abonent('meters', 'fail', 'CLI-NEW-1', '--reason', 'разбит корпус', '--json')),
    ).toMatchObject({
      status: 'failed',
      validity: { valid: false, reason: 'METER_FAILED' },
    });
    expect((await abonent('meters', 'fail', 'CLI-NEW-1')).error).toBeInstanceOf(CommanderError);
  });

  it('tariffs list and norms list on a date', async () => {
    expect(
      json(await abonent('tariffs', 'list', '--region', 'moscow', '--on', '2025-08-01', '--json')),
    ).toEqual({
      on: '2025-08-01',
      tariffs: [expect.objectContaining({ zone: 'single', price: '7.87', priceKopecks: 787 })],
    });
    expect((await abonent('tariffs', 'list', '--region', 'moscow', '--on', '2025-08-01')).out).toContain(
      '7.87 руб./кВт·ч  с 2025-07-01',
    );
    expect(json(await abonent('tariffs', 'list', '--on', '2025-06-30', '--json')).tariffs).toEqual([]);
    expect(refusal(await abonent('tariffs', 'list', '--on', '2025-02-30'))).toBe('VALIDATION_FAILED');
    expect(json(await abonent('norms', 'list', '--region', 'moscow', '--json')).norms).toEqual([
      expect.objectContaining({ rooms: 2, residents: 2, kwhPerPerson: '74.000' }),
    ]);
    expect(json(await abonent('norms', 'list', '--common', '--json')).commonNorms).toEqual([]);
    expect(refusal(await abonent('norms', 'list', '--stove', 'coal'))).toBe('VALIDATION_FAILED');
  });
});
