import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
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
      { parseAs: 'string', bodyLimit: BODY_LIMIT },
      (_req, body, done) => {
        done(null, Object.fromEntries(groupParams(new URLSearchParams(body as string))));
      },
    );
    // Fastify's own refusals (a body too large, an unknown content type, broken JSON) are answers of the
    // protocol too: XML with 300 for the request's fault, 1 for ours — never a JSON error a terminal can't read.
    scope.setErrorHandler((error: FastifyError, request, reply) => {
      const client = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500;
      if (!client) request.log.error(error);
      return sendXml(
        reply,
        renderOsmpXml({
          txnId: txnIdOf(request.query),
          result: client ? 300 : 1,
          comment: client ? `Некорректный запрос: ${error.message}` : TEMPORARY,
        }),
      );
    });
    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      const params = {
        ...((request.query as Record<string, unknown>) ?? {}),
        ...((typeof request.body === 'object' && request.body) || {}),
      };
      const txnId = txnIdOf(params);
      const auth = await authenticate(request.headers.authorization, request.ip).catch((e: unknown) => {
        request.log.error(e);
        return undefined;
      });
      if (!auth) return sendXml(reply, renderOsmpXml({ txnId, result: 1, comment: TEMPORARY }));
      if (!auth.ok) {
        if (auth.status === 401) reply.header('www-authenticate', 'Basic realm="abonent osmp"');
        return reply.status(auth.status).send({
          error: { code: auth.status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN', message: auth.reason },
        });
      }
      const parsed = safeParse(params);
      if (!parsed.ok) return sendXml(reply, renderOsmpXml({ txnId, result: 300, comment: parsed.comment }));
      try {
        return sendXml(reply, renderOsmpXml(await handleOsmp(ledger, auth.agent, parsed.request)));
      } catch (e) {
        // Any trouble of ours is temporary for the terminal: it retries with the same txn_id (idempotent).
        request.log.error(e);
        return sendXml(reply, renderOsmpXml({ txnId, result: 1, comment: TEMPORARY }));
      }
    };
    const schema = { hide: true } as const;
    scope.get('/osmp', { schema }, handler);
    scope.post('/osmp', { schema }, handler);
  });
}

const BODY_LIMIT = 16_384;
const TEMPORARY = 'Временная ошибка, повторите позже';

function sendXml(reply: FastifyReply, xml: string) {
  return reply.status(200).header('content-type', 'text/xml; charset=utf-8').send(xml);
}

/** The request's txn_id when it is well-formed, echoed even in an error answer so the terminal can match it. */
function txnIdOf(params: unknown): string | undefined {
  const v = (params as Record<string, unknown> | undefined)?.txn_id;
  return typeof v === 'string' && /^\d{1,20}$/.test(v) ? v : undefined;
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
