import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import type { Executor } from '../../platform/database.ts';

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

/** A payment agent (terminal network, bank) that pays over the OSMP protocol. */
export interface PaymentAgent {
  id: number;
  code: string;
  name: string;
  login: string;
  passwordHash: string;
  allowedIps: string[];
  active: boolean;
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32);
  return `scrypt$${salt.toString('hex')}$${hash.toString('hex')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, saltHex, hashHex] = stored.split('$');
  if (kind !== 'scrypt' || !saltHex || !hashHex) return false;
  const expected = Buffer.from(hashHex, 'hex');
  const actual = await scrypt(password, Buffer.from(saltHex, 'hex'), expected.length);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

const SELECT = sql`SELECT id, code, name, login, password_hash AS "passwordHash",
  allowed_ips::text[] AS "allowedIps", active FROM payment_agent`;

export async function findAgentByLogin(db: Executor, login: string): Promise<PaymentAgent | undefined> {
  const r = await sql<PaymentAgent>`${SELECT} WHERE login = ${login}`.execute(db);
  return r.rows[0];
}

export async function listAgents(db: Executor): Promise<Omit<PaymentAgent, 'passwordHash'>[]> {
  const r = await sql<PaymentAgent>`${SELECT} ORDER BY code`.execute(db);
  return r.rows.map(({ passwordHash: _h, ...a }) => a);
}

/** Adds an agent, or replaces the credentials and networks of the agent with this code. */
export async function saveAgent(
  db: Executor,
  a: { code: string; name: string; login: string; password: string; allowedIps: string[] },
): Promise<PaymentAgent> {
  const hash = await hashPassword(a.password);
  const r = await sql<PaymentAgent>`
    INSERT INTO payment_agent (code, name, login, password_hash, allowed_ips)
    VALUES (${a.code}, ${a.name}, ${a.login}, ${hash}, ${a.allowedIps}::cidr[])
    ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, login = EXCLUDED.login,
      password_hash = EXCLUDED.password_hash, allowed_ips = EXCLUDED.allowed_ips, active = true
    RETURNING id, code, name, login, password_hash AS "passwordHash", allowed_ips::text[] AS "allowedIps", active`.execute(
    db,
  );
  return r.rows[0]!;
}

/** Lets an agent pay again, or stops it (its credentials are refused; a cached login lapses within a minute). */
export async function setAgentActive(db: Executor, code: string, active: boolean): Promise<boolean> {
  const r = await sql`UPDATE payment_agent SET active = ${active} WHERE code = ${code}`.execute(db);
  return Number(r.numAffectedRows ?? 0) === 1;
}
