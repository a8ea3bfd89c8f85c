import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Db } from './database.ts';
import { errorBody, requestLang } from './http.ts';

/** The key printed for the demo city; stored (hashed) only when the demo city is loaded. */
export const DEMO_OPERATOR_KEY = 'demo-operator-key';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Creates an operator API key: the key is shown once; only its SHA-256 is stored. */
export async function createOperatorKey(
  db: Db,
  name: string,
  key = `abk_${randomBytes(24).toString('base64url')}`,
) {
  await sql`INSERT INTO operator_api_key (name, key_sha256) VALUES (${name}, ${sha256(key)})
            ON CONFLICT (key_sha256) DO NOTHING`.execute(db);
  return key;
}

export async function isOperatorKeyActive(db: Db, key: string): Promise<boolean> {
  const r =
    await sql`SELECT 1 FROM operator_api_key WHERE key_sha256 = ${sha256(key)} AND revoked_at IS NULL`.execute(
      db,
    );
  return r.rows.length > 0;
}

/**
 * Operator authentication until the back-office issue brings staff logins: `Authorization: Bearer <key>`
 * (or `X-Api-Key`), checked against ABONENT_API_KEY and the keys stored in the database.
 */
export function operatorAuth(db: Db, envKey: string | undefined) {
  const cache = new Map<string, number>();
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization;
    const key =
      (header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined) ??
      (typeof request.headers['x-api-key'] === 'string' ? request.headers['x-api-key'] : undefined);
    if (!key) {
      return reply
        .status(401)
        .send(
          errorBody(
            'AUTH_REQUIRED',
            'Нужен ключ оператора: заголовок Authorization: Bearer <ключ>.',
            'An operator key is required: Authorization: Bearer <key>.',
            undefined,
            requestLang(request),
          ),
        );
    }
    if (envKey && safeEqual(key, envKey)) return;
    const seen = cache.get(key);
    if (seen !== undefined && performance.now() - seen < 5_000) return;
    if (await isOperatorKeyActive(db, key)) {
      cache.set(key, performance.now());
      return;
    }
    return reply
      .status(401)
      .send(
        errorBody(
          'AUTH_INVALID',
          'Ключ оператора не действителен.',
          'The operator key is not valid.',
          undefined,
          requestLang(request),
        ),
      );
  };
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
