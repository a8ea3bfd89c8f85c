import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows } from '../support/fixtures.ts';
import { expectAnswer, openRegistryApi, type RegistryApi } from '../support/registry-api.ts';

let api: RegistryApi;
beforeAll(async () => {
  api = await openRegistryApi();
});
afterAll(async () => {
  await api?.close();
});

const TABLES = [
  'region',
  'principal',
  'management_company',
  'house',
  'premises',
  'account',
  'account_phone',
  'meter',
];
async function counts() {
  return Object.fromEntries(await Promise.all(TABLES.map(async (t) => [t, await countRows(api.t.db, t)])));
}

describe('regions, principals, management companies', () => {
  it('lists regions with the readings window in force today', async () => {
    const r = await api.get('/api/v1/regions');
    expectAnswer(r, 200);
    const yakutia = r.body.regions.find((x: { code: string }) => x.code === 'yakutia');
    expect(yakutia).toMatchObject({
      timeZone: 'Asia/Yakutsk',
      today: '2026-11-20',
      readingsWindow: { fromDay: 1, toDay: 10, serves: 'previous' },
    });
  });

  it('creates a region with a valid time zone; refuses an unknown zone and a duplicate', async () => {
    const before = await counts();
    const bad = await api.post('/api/v1/regions', { code: 'mars', name: 'Марс', timeZone: 'Mars/Olympus' });
    expectAnswer(bad, 422, 'TIME_ZONE_INVALID');
    expect(bad.body.error.message).toMatch(/часовой пояс/);
    expect(bad.body.error.messageEn).toMatch(/time zone/);
    expect(await counts()).toEqual(before);
    const ok = await api.post('/api/v1/regions', {
      code: 'kaliningrad',
      name: 'Калининград',
      timeZone: 'Europe/Kaliningrad',
    });
    expectAnswer(ok, 201);
    expect(ok.body).toMatchObject({ code: 'kaliningrad', readingsWindow: { fromDay: 15, toDay: 26 } });
    expectAnswer(
      await api.post('/api/v1/regions', { code: 'kaliningrad', name: 'X', timeZone: 'UTC' }),
      409,
      'REGION_EXISTS',
    );
  });

  it('principals and management companies: create, get, patch, duplicates and unknown codes', async () => {
    const p = await api.post('/api/v1/principals', {
      code: 'mes',
      kind: 'supplier',
      name: 'АО «Мосэнергосбыт»',
      inn: '7736520080',
      bic: '044525225',
      personalAcc: '40702810900000000001',
      phone: '+74959810981',
    });
    expectAnswer(p, 201);
    expect(p.body).not.toHaveProperty('id');
    expectAnswer(
      await api.post('/api/v1/principals', { code: 'mes', kind: 'agent', name: 'X' }),
      409,
      'PRINCIPAL_EXISTS',
    );
    expectAnswer(
      await api.post('/api/v1/principals', { code: 'x1', kind: 'agent', name: 'X', bic: '12' }),
      400,
      'VALIDATION_FAILED',
    );
    const patched = await api.patch('/api/v1/principals/mes', { phone: null, address: 'Москва' });
    expect(patched.body).toMatchObject({ code: 'mes', phone: null, address: 'Москва', inn: '7736520080' });
    expectAnswer(await api.get('/api/v1/principals/nobody'), 404, 'PRINCIPAL_NOT_FOUND');
    expectAnswer(await api.patch('/api/v1/principals/mes', {}), 400, 'VALIDATION_FAILED');

    expectAnswer(
      await api.post('/api/v1/management-companies', { code: 'uk-1', name: 'ГБУ «Жилищник»' }),
      201,
    );
    expectAnswer(
      await api.post('/api/v1/management-companies', { code: 'uk-1', name: 'Y' }),
      409,
      'MANAGEMENT_COMPANY_EXISTS',
    );
    expect((await api.patch('/api/v1/management-companies/uk-1', { inn: '7727990018' })).body).toMatchObject({
      code: 'uk-1',
      inn: '7727990018',
    });
    expect((await api.get('/api/v1/management-companies')).body.managementCompanies).toHaveLength(1);
  });
});

describe('houses and premises', () => {
  it('creates, changes and lists houses; premises in natural order', async () => {
    const h = await api.post('/api/v1/houses', {
      code: 'msk-lenina-5',
      region: 'moscow',
      managementCompany: 'uk-1',
      address: 'г. Москва, ул. Ленина, д. 5',
      kind: 'apartment_building',
      stoveType: 'gas',
      settlementType: 'urban',
      totalAreaM2: 200,
      commonAreaM2: 40.5,
      commonNeedsMode: 'capped',
    });
    expectAnswer(h, 201);
    expect(h.body).toMatchObject({
      code: 'msk-lenina-5',
      managementCompany: 'uk-1',
      commonAreaM2: 40.5,
      premises: [],
    });
    for (const number of ['10', '2', '1А']) {
      expectAnswer(
        await api.post('/api/v1/houses/msk-lenina-5/premises', { number, areaM2: 50, rooms: 2 }),
        201,
      );
    }
    expectAnswer(
      await api.post('/api/v1/houses/msk-lenina-5/premises', { number: '2', areaM2: 1 }),
      409,
      'PREMISES_EXISTS',
    );
    const p = await api.patch('/api/v1/houses/msk-lenina-5/premises/2', { residents: 3, areaM2: 70.25 });
    expect(p.body).toMatchObject({ number: '2', residents: 3, areaM2: 70.25, account: null });
    const card = await api.get('/api/v1/houses/msk-lenina-5');
    expect(card.body.premises.map((x: { number: string }) => x.number)).toEqual(['1А', '2', '10']);
    expect(card.body.premisesCount).toBe(3);

    const changed = await api.patch('/api/v1/houses/msk-lenina-5', {
      managementCompany: null,
      commonNeedsMode: 'full',
    });
    expect(changed.body).toMatchObject({
      managementCompany: null,
      commonNeedsMode: 'full',
      accountsRecategorized: 0,
    });
    const list = await api.get('/api/v1/houses?region=moscow&q=%D0%9B%D0%B5%D0%BD%D0%B8%D0%BD%D0%B0');
    expect(list.body.houses.map((x: { code: string }) => x.code)).toEqual(['msk-lenina-5']);
    expect((await api.get('/api/v1/houses?region=yakutia')).body.houses).toEqual([]);
  });

  it('bad house input: reason codes, nothing written', async () => {
    const base = {
      code: 'h-bad',
      region: 'moscow',
      address: 'адрес',
      kind: 'apartment_building',
      stoveType: 'gas',
      settlementType: 'urban',
      totalAreaM2: 10,
    };
    const before = await counts();
    expectAnswer(await api.post('/api/v1/houses', { ...base, region: 'atlantis' }), 422, 'REGION_NOT_FOUND');
    expectAnswer(
      await api.post('/api/v1/houses', { ...base, managementCompany: 'none' }),
      422,
      'MANAGEMENT_COMPANY_NOT_FOUND',
    );
    expectAnswer(await api.post('/api/v1/houses', { ...base, code: 'msk-lenina-5' }), 409, 'HOUSE_EXISTS');
    expectAnswer(
      await api.post('/api/v1/houses', { ...base, totalAreaM2: 10.123 }),
      400,
      'VALIDATION_FAILED',
    );
    expectAnswer(await api.post('/api/v1/houses', { ...base, stoveType: 'coal' }), 400, 'VALIDATION_FAILED');
    expectAnswer(await api.post('/api/v1/houses', { ...base, floors: 9 }), 400, 'VALIDATION_FAILED');
    expectAnswer(
      await api.post('/api/v1/houses/nope/premises', { number: '1', areaM2: 5 }),
      404,
      'HOUSE_NOT_FOUND',
    );
    expectAnswer(
      await api.post('/api/v1/houses/msk-lenina-5/premises', { number: '9', areaM2: 0 }),
      400,
      'VALIDATION_FAILED',
    );
    expectAnswer(
      await api.patch('/api/v1/houses/msk-lenina-5/premises/99', { rooms: 1 }),
      404,
      'PREMISES_NOT_FOUND',
    );
    expectAnswer(await api.get('/api/v1/houses/nope'), 404, 'HOUSE_NOT_FOUND');
    expect(await counts()).toEqual(before);
  });
});

describe('accounts', () => {
  it('opens an account with phones; the category defaults from the house', async () => {
    const r = await api.post('/api/v1/accounts', {
      number: '1000000001',
      house: 'msk-lenina-5',
      premises: '2',
      principal: 'mes',
      payerName: 'Иванова Мария Сергеевна',
      email: 'ivanova@example.org',
      phones: ['+79161234567', '+74951234567'],
      startDate: '2025-01-01',
    });
    expectAnswer(r, 201);
    expect(r.body.account).toMatchObject({
      number: '1000000001',
      tariffCategory: 'gas_stove',
      status: 'active',
      phones: ['+74951234567', '+79161234567'],
    });
    expect(r.body).toMatchObject({
      premises: { number: '2', residents: 3 },
      region: { code: 'moscow' },
      meters: [],
    });
    expect(JSON.stringify(r.body)).not.toMatch(/"id"/);
  });

  it('refuses bad account input with reason codes and writes nothing', async () => {
    const base = {
      number: '1000000002',
      house: 'msk-lenina-5',
      premises: '10',
      principal: 'mes',
      payerName: 'Сидоров',
      startDate: '2025-01-01',
    };
    const before = await counts();
    const cases: [object, number, string][] = [
      [{ ...base, number: '1000000001' }, 409, 'ACCOUNT_EXISTS'],
      [{ ...base, premises: '2' }, 409, 'PREMISES_HAS_ACTIVE_ACCOUNT'],
      [{ ...base, tariffCategory: 'electric_stove' }, 422, 'TARIFF_CATEGORY_MISMATCH'],
      [{ ...base, tariffCategory: 'rural' }, 422, 'TARIFF_CATEGORY_MISMATCH'],
      [{ ...base, house: 'nope' }, 422, 'HOUSE_NOT_FOUND'],
      [{ ...base, premises: '77' }, 422, 'PREMISES_NOT_FOUND'],
      [{ ...base, principal: 'nobody' }, 422, 'PRINCIPAL_NOT_FOUND'],
      [{ ...base, phones: ['89161234567'] }, 400, 'VALIDATION_FAILED'],
      [{ ...base, phones: ['+79161234567', '+79161234567'] }, 400, 'VALIDATION_FAILED'],
      [{ ...base, number: '12-34' }, 400, 'VALIDATION_FAILED'],
      [{ ...base, startDate: '2025-02-30' }, 400, 'VALIDATION_FAILED'],
      [{ ...base, balance: 0 }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [payload, status, code] of cases) {
      const r = await api.post('/api/v1/accounts', payload);
      expectAnswer(r, status, code);
      expect(r.body.error.message.length).toBeGreaterThan(0);
    }
    expect(await counts()).toEqual(before);
    const unknown = await api.post('/api/v1/accounts', { ...base, balance: 0 });
    expect(unknown.body.error.message).toMatch(/неизвестные поля: balance/);
  });

  it('changes, closes and reopens an account; phones replace the set', async () => {
    const r = await api.patch('/api/v1/accounts/1000000001', {
      payerName: 'Иванова М. С.',
      phones: ['+79160000001'],
    });
    expect(r.body.account).toMatchObject({ payerName: 'Иванова М. С.', phones: ['+79160000001'] });
    expectAnswer(
      await api.patch('/api/v1/accounts/1000000001', { status: 'closed' }),
      422,
      'END_DATE_REQUIRED',
    );
    expectAnswer(
      await api.patch('/api/v1/accounts/1000000001', { status: 'closed', endDate: '2024-12-31' }),
      422,
      'END_BEFORE_START',
    );
    expectAnswer(
      await api.patch('/api/v1/accounts/1000000001', { endDate: '2026-01-01' }),
      422,
      'END_DATE_NEEDS_CLOSING',
    );
    const closed = await api.patch('/api/v1/accounts/1000000001', {
      status: 'closed',
      endDate: '2026-10-31',
    });
    expect(closed.body.account).toMatchObject({ status: 'closed', endDate: '2026-10-31' });
    // The premises are free now: a new payer's account opens; the old one cannot reopen.
    expectAnswer(
      await api.post('/api/v1/accounts', {
        number: '1000000003',
        house: 'msk-lenina-5',
        premises: '2',
        principal: 'mes',
        payerName: 'Новый Жилец',
        startDate: '2026-11-01',
      }),
      201,
    );
    expectAnswer(
      await api.patch('/api/v1/accounts/1000000001', { status: 'active' }),
      409,
      'PREMISES_HAS_ACTIVE_ACCOUNT',
    );
    expectAnswer(
      await api.patch('/api/v1/accounts/9999999999', { payerName: 'X' }),
      404,
      'ACCOUNT_NOT_FOUND',
    );
  });

  it('a house that moves to electric stoves moves its gas-stove accounts to electric_stove', async () => {
    const r = await api.patch('/api/v1/houses/msk-lenina-5', { stoveType: 'electric' });
    expect(r.body.accountsRecategorized).toBe(2);
    expect((await api.get('/api/v1/accounts/1000000003')).body.account.tariffCategory).toBe('electric_stove');
    await api.patch('/api/v1/houses/msk-lenina-5', { stoveType: 'gas' });
  });
});

describe('OpenAPI', () => {
  it('describes every registry route', async () => {
    const doc = api.app.swagger() as { paths: Record<string, Record<string, { tags?: string[] }>> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/regions',
        '/api/v1/principals/{code}',
        '/api/v1/management-companies',
        '/api/v1/houses/{code}/premises/{number}',
        '/api/v1/accounts',
        '/api/v1/accounts/{number}',
        '/api/v1/meters/{serial}',
        '/api/v1/meters/{serial}/replacement',
        '/api/v1/tariffs',
        '/api/v1/norms',
        '/api/v1/common-norms',
        '/api/v1/parameters',
      ]),
    );
    expect(doc.paths['/api/v1/meters/{serial}/replacement']?.post?.tags).toEqual(['meters']);
  });
});
