import { z } from 'zod';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/database.ts';
import { ApiError, type HttpApp } from '../../platform/http.ts';
import { findRegistry, listRegistries } from './registry.repository.ts';
import { importRegistry, REGISTRY_MAX_BYTES, RegistryRefused } from './registry-import.service.ts';
import type { RegistryReport } from './registry-report.ts';

/**
 * Bank payment registries over the operator API (docs/formats.md "Bank payment registry"): upload a file
 * as the raw body, list the registries, read one with its reconciliation report.
 */
export async function bankRegistryRoutes(app: HttpApp, deps: { database: Database; clock: Clock }) {
  const ledger = { db: deps.database.db, clock: deps.clock };
  // Own scope: the raw-bytes body parser applies to these routes only. Any content type (curl sends
  // --data-binary as a form): the bytes are the file, decoded by the import itself.
  await app.register(async (scope: HttpApp) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: REGISTRY_MAX_BYTES },
      (_req, body, done) => done(null, body),
    );
    scope.post(
      '/api/v1/payment-registries',
      {
        bodyLimit: REGISTRY_MAX_BYTES,
        schema: {
          tags: ['money'],
          summary: "Import a bank's daily payment registry (the file as the raw body; windows-1251 or UTF-8)",
          description:
            'The whole file is checked first (encoding, control line, count and total) and refused whole with 422 and a reason code if it does not add up: nothing credited. Otherwise every line is credited idempotently by `<BANK>:<operation id>`, settled on the registry date; lines that cannot be credited are listed in the report (201). The same registry again (the same file, or the same content in another encoding) credits nothing and returns the stored report (200, `alreadyImported: true`). Format: docs/formats.md "Bank payment registry".',
          querystring: z.object({
            bank: z
              .string()
              .max(32)
              .optional()
              .describe('the bank that sent it (default: the file name before its first "_")'),
            fileName: z.string().max(200).optional().describe('the file name, kept with the registry'),
          }),
        },
      },
      async (request, reply) => {
        const body = request.body;
        if (!Buffer.isBuffer(body) || body.length === 0)
          throw new ApiError(
            400,
            'EMPTY',
            'Пришлите файл реестра телом запроса.',
            'Send the registry file as the request body.',
          );
        try {
          const r = await importRegistry(ledger, {
            bytes: body,
            ...(request.query.bank ? { bank: request.query.bank } : {}),
            ...(request.query.fileName ? { fileName: request.query.fileName } : {}),
          });
          return reply.status(r.alreadyImported ? 200 : 201).send(r);
        } catch (e) {
          if (e instanceof RegistryRefused) throw new ApiError(422, e.code, e.message, e.messageEn, e.params);
          throw e;
        }
      },
    );
    scope.get(
      '/api/v1/payment-registries',
      {
        schema: {
          tags: ['money'],
          summary: 'Imported bank registries, newest first (without their reports)',
        },
      },
      async () =>
        (await listRegistries(deps.database.db)).map(({ report, ...row }) => ({
          ...row,
          summary: summaryOf(report),
        })),
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
        if (!r)
          throw new ApiError(
            404,
            'NOT_FOUND',
            `Реестр ${request.params.id} не найден.`,
            'Registry not found.',
          );
        return r;
      },
    );
  });
}

/** The list shows each registry's totals; the lines are in GET /api/v1/payment-registries/:id. */
function summaryOf(report: RegistryReport | null) {
  if (!report) return null;
  return {
    accepted: report.accepted,
    duplicates: report.duplicates,
    rejected: { count: report.rejected.count, totalKopecks: report.rejected.totalKopecks },
    reconciled: report.reconciled,
  };
}
