import { z } from 'zod';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/database.ts';
import { ApiError, type HttpApp } from '../../platform/http.ts';
import { findRegistry, listRegistries } from './registry.repository.ts';
import { importRegistry, RegistryRefused } from './registry-import.service.ts';

const MAX_BYTES = 50 * 1024 * 1024;

/** Bank payment registries over the operator API: upload a file (raw body), read its report. */
export async function bankRegistryRoutes(app: HttpApp, deps: { database: Database; clock: Clock }) {
  const ledger = { db: deps.database.db, clock: deps.clock };
  await app.register(async (scope: HttpApp) => {
    scope.addContentTypeParser(
      ['text/csv', 'text/plain', 'application/octet-stream'],
      { parseAs: 'buffer', bodyLimit: MAX_BYTES },
      (_req, body, done) => done(null, body),
    );
    scope.post(
      '/api/v1/payment-registries',
      {
        bodyLimit: MAX_BYTES,
        schema: {
          tags: ['money'],
          summary: "Import a bank's daily payment registry (raw file body; windows-1251 or UTF-8)",
          description:
            'The whole file is checked first (encoding, control count and total) and refused whole if it does not add up. Payments are credited idempotently by bank operation id; the same file again credits nothing and returns the stored report (200). Format: docs/formats.md "Bank payment registry".',
          querystring: z.object({ bank: z.string(), fileName: z.string().max(200).optional() }),
        },
      },
      async (request, reply) => {
        if (!Buffer.isBuffer(request.body))
          throw new ApiError(
            415,
            'UNSUPPORTED_MEDIA_TYPE',
            'Пришлите файл реестра телом запроса (Content-Type: text/csv).',
            'Send the registry file as the body (Content-Type: text/csv).',
          );
        try {
          const r = await importRegistry(ledger, {
            bytes: request.body,
            bank: request.query.bank,
            ...(request.query.fileName ? { fileName: request.query.fileName } : {}),
          });
          return reply.status(r.alreadyImported ? 200 : 201).send(r);
        } catch (e) {
          if (e instanceof RegistryRefused) throw new ApiError(422, e.code, e.message, e.messageEn);
          throw e;
        }
      },
    );
    scope.get(
      '/api/v1/payment-registries',
      { schema: { tags: ['money'], summary: 'Imported registries, newest first' } },
      async () => (await listRegistries(deps.database.db)).map(({ report: _r, ...row }) => row),
    );
    scope.get(
      '/api/v1/payment-registries/:id',
      {
        schema: {
          tags: ['money'],
          summary: 'One registry with its reconciliation report',
          params: z.object({ id: z.coerce.number().int().positive() }),
        },
      },
      async (request) => {
        const r = await findRegistry(deps.database.db, { id: request.params.id });
        if (!r) throw new ApiError(404, 'NOT_FOUND', 'Реестр не найден.', 'Registry not found.');
        return r;
      },
    );
  });
}
