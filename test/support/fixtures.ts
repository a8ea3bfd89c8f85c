import { sql } from 'kysely';
import type { Db } from '../../src/platform/database.ts';

/** Minimal registry rows for integration tests, written with plain SQL. */

export async function addPrincipal(db: Db, code = 'SUP') {
  const r = await sql<{ id: number }>`
    INSERT INTO principal (code, kind, name, inn, kpp, bank_name, bic, personal_acc, corresp_acc)
    VALUES (${code}, 'supplier', 'АО «Энергосбыт»', '7700000000', '770001001', 'ПАО Сбербанк', '044525225',
            '40702810900000000001', '30101810400000000225')
    ON CONFLICT (code) DO UPDATE SET code = EXCLUDED.code RETURNING id`.execute(db);
  return r.rows[0]!.id;
}

export interface TestAccount {
  accountId: number;
  meterId: number;
  number: string;
  serial: string;
}

let counter = 0;

/** A house in a region with one premises, account and meter commissioned with the given initial values. */
export async function addAccount(
  db: Db,
  o: {
    region?: string;
    number?: string;
    serial?: string;
    zones?: number;
    digits?: number;
    decimals?: number;
    initial?: number[];
    commissionedOn?: string;
    nextVerificationOn?: string;
    phones?: string[];
    status?: 'active' | 'closed';
    meterStatus?: 'active' | 'failed' | 'removed';
  } = {},
): Promise<TestAccount> {
  counter += 1;
  const principalId = await addPrincipal(db);
  const region = o.region ?? 'moscow';
  const zones = o.zones ?? 1;
  const house = await sql<{ id: number }>`
    INSERT INTO house (code, region_code, address, kind, stove_type, settlement_type, total_area_m2, common_area_m2)
    VALUES (${`H-${region}-${counter}`}, ${region}, 'г. Москва, ул. Тестовая, д. 1',
            'apartment_building', 'gas', 'urban', 50, 10)
    RETURNING id`.execute(db);
  const houseId = house.rows[0]!.id;
  const premises = await sql<{ id: number }>`
    INSERT INTO premises (house_id, number, area_m2, rooms, residents) VALUES (${houseId}, '1', 50, 2, 2) RETURNING id`.execute(
    db,
  );
  const number = o.number ?? String(1_000_000_000 + counter);
  const account = await sql<{ id: number }>`
    INSERT INTO account (number, premises_id, principal_id, payer_name, tariff_category, status, start_date)
    VALUES (${number}, ${premises.rows[0]!.id}, ${principalId}, 'Иванов Иван Иванович', 'gas_stove', ${o.status ?? 'active'}, '2024-01-01')
    RETURNING id`.execute(db);
  const accountId = account.rows[0]!.id;
  for (const phone of o.phones ?? []) {
    await sql`INSERT INTO account_phone (account_id, phone) VALUES (${accountId}, ${phone})`.execute(db);
  }
  const serial = o.serial ?? `SN${number}`;
  const meter = await sql<{ id: number }>`
    INSERT INTO meter (serial, model, house_id, account_id, zones, digits, decimals, installed_on, commissioned_on,
                       initial_values_wh, next_verification_on, status)
    VALUES (${serial}, 'Меркурий 201', ${houseId}, ${accountId}, ${zones}, ${o.digits ?? 5}, ${o.decimals ?? 0},
            ${o.commissionedOn ?? '2024-01-10'}, ${o.commissionedOn ?? '2024-01-10'},
            ${o.initial ?? new Array(zones).fill(0)}, ${o.nextVerificationOn ?? '2036-01-01'}, ${o.meterStatus ?? 'active'})
    RETURNING id`.execute(db);
  return { accountId, meterId: meter.rows[0]!.id, number, serial };
}

export async function countRows(db: Db, table: string): Promise<number> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(db);
  return r.rows[0]!.n;
}
