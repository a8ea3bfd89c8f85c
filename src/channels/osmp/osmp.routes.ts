import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/database.ts';
import type { HttpApp } from '../../platform/http.ts';
import { handleOsmp } from './osmp.service.ts';
import { osmpAuthenticator } from './osmp-auth.ts';
import { parseOsmpRequest } from './osmp-request.ts';
import { renderOsmpXml } from './osmp-xml.ts';

/**
 * `GET|POST /osmp` — the OSMP provider endpoint for payment terminals and agents (outside the operator
 * API: agents authenticate with their own credentials from their own networks). The answer is always
 * XML with a result code; only missing or wrong credentials (401) and a foreign address (403) are not.
 */
export async function osmpRoutes(app: HttpApp, deps: { database: Database; clock: Clock }) {
  const authenticate = osmpAuthenticator(deps.database.db);
  const ledger = { db: deps.database.db, clock: deps.clock };
  await app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 8192 },
      (_req, body, done) => {
        done(null, Object.fromEntries(groupParams(new URLSearchParams(body as string))));
      },
    );
    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      const auth = await authenticate(request.headers.authorization, request.ip).catch(() => undefined);
      const send = (xml: string, status = 200) =>
        reply.status(status).header('content-type', 'text/xml; charset=utf-8').send(xml);
      if (!auth)
        return send(renderOsmpXml({ txnId: undefined, result: 1, comment: 'Временная ошибка, повторите' }));
      if (!auth.ok) {
        if (auth.status === 401) reply.header('www-authenticate', 'Basic realm="abonent osmp"');
        return reply.status(auth.status).send({
          error: { code: auth.status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN', message: auth.reason },
        });
      }
      const params = {
        ...((request.query as Record<string, unknown>) ?? {}),
        ...((typeof request.body === 'object' && request.body) || {}),
      };
      const txnId =
        typeof params.txn_id === 'string' && /^\d{1,20}$/.test(params.txn_id) ? params.txn_id : undefined;
      const parsed = safeParse(params);
      if (!parsed.ok) return send(renderOsmpXml({ txnId, result: 300, comment: parsed.comment }));
      try {
        return send(renderOsmpXml(await handleOsmp(ledger, auth.agent, parsed.request)));
      } catch (e) {
        // Any trouble of ours is temporary for the terminal: it retries with the same txn_id (idempotent).
        request.log.error(e);
        return send(renderOsmpXml({ txnId, result: 1, comment: 'Временная ошибка, повторите позже' }));
      }
    };
    const schema = { hide: true } as const;
    scope.get('/osmp', { schema }, handler);
    scope.post('/osmp', { schema }, handler);
  });
}

/** URLSearchParams → object; a name given twice becomes an array (refused by the parser). */
function groupParams(p: URLSearchParams): [string, string | string[]][] {
  const out = new Map<string, string | string[]>();
  for (const [k, v] of p) {
    const had = out.get(k);
    out.set(k, had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v]);
  }
  return [...out];
}

function safeParse(params: Record<string, unknown>): ReturnType<typeof parseOsmpRequest> {
  try {
    return parseOsmpRequest(params);
  } catch {
    return { ok: false, comment: 'malformed request' };
  }
}
