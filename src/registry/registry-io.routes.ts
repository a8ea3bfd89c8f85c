import type { FastifySchemaCompiler } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../platform/database.ts';
import { ApiError, type HttpApp } from '../platform/http.ts';
import { CSV_KINDS } from './registry-csv.ts';
import { exportCsv, exportRegistryText, unknownHouseCodes } from './registry-export.service.ts';
import { importReportSchema, registryDocumentSchema } from './registry-format.ts';
import { importRegistryText } from './registry-import.service.ts';

/** A whole registry can be large: 100k accounts with their readings are tens of megabytes. */
export const IMPORT_BODY_LIMIT = 200 * 1024 * 1024;

const importQuery = z.object({
  partial: z
    .enum(['true', 'false'])
    .default('false')
    .describe('true: write the valid rows even when some are rejected'),
});
const exportQuery = z.object({
  house: z
    .union([z.string().min(1), z.array(z.string().min(1))])
    .optional()
    .describe('house code(s): export only these houses (repeat the parameter or separate by commas)'),
});

/**
 * The body of an import is read as text and validated by the import itself, so that a malformed or
 * invalid file gets the full report (422) rather than a generic 400; the document schema is declared
 * for the OpenAPI description only.
 */
const bodyAsText: FastifySchemaCompiler<unknown> = (route) =>
  route.httpPart === 'body' ? (data: unknown) => ({ value: data }) : validatorCompiler(route as never);

function houseCodesOf(house: string | string[] | undefined): string[] | undefined {
  if (house === undefined) return undefined;
  return (Array.isArray(house) ? house : [house])
    .flatMap((h) => h.split(','))
    .map((h) => h.trim())
    .filter(Boolean);
}

/**
 * Registry import/export (docs/formats.md): POST /api/v1/registry/import (JSON or CSV body),
 * GET /api/v1/registry/export (JSON), GET /api/v1/registry/export/{accounts|meters|readings}.csv.
 */
export async function registryIoRoutes(app: HttpApp, deps: { database: Database; clock: { now(): Date } }) {
  // Own scope: the body parsers below (raw text, 200 MB) apply to these routes only.
  await app.register(async (scope: HttpApp) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      ['application/json', 'text/csv', 'text/plain'],
      { parseAs: 'string', bodyLimit: IMPORT_BODY_LIMIT },
      (_request, body, done) => done(null, body),
    );

    scope.post(
      '/api/v1/registry/import',
      {
        bodyLimit: IMPORT_BODY_LIMIT,
        validatorCompiler: bodyAsText,
        schema: {
          tags: ['registry'],
          summary: 'Import a registry (JSON) or accounts/meters/readings (CSV)',
          description:
            'Validates everything first and reports every rejected row with its reason code and message. 200: nothing rejected, everything written (rows identical to stored ones count as unchanged). 422: rows rejected — nothing written, or with `partial=true` the valid rows written. Content-Type application/json for the registry document, text/csv for a CSV file (kind told by its header). See docs/formats.md.',
          querystring: importQuery,
          body: registryDocumentSchema,
          response: { 200: importReportSchema, 422: importReportSchema },
        },
      },
      async (request, reply) => {
        const contentType = String(request.headers['content-type'] ?? '');
        const text = typeof request.body === 'string' ? request.body : '';
        const report = await importRegistryText(deps.database, text, {
          partial: request.query.partial === 'true',
          now: deps.clock.now(),
          format: contentType.includes('json') ? 'json' : contentType.includes('csv') ? 'csv' : undefined,
        });
        return reply.status(report.ok ? 200 : 422).send(report);
      },
    );

    scope.get(
      '/api/v1/registry/export',
      {
        schema: {
          tags: ['registry'],
          summary: 'Export the registry as the documented JSON',
          description:
            'Deterministic: the same registry gives the same bytes, and importing it into an empty database then exporting again gives them again. With `house`, only those houses (and the principals and management companies they refer to).',
          querystring: exportQuery,
          response: { 200: registryDocumentSchema },
        },
      },
      async (request, reply) => {
        const houseCodes = await checkedHouses(deps.database, houseCodesOf(request.query.house));
        const text = await exportRegistryText(deps.database, { houseCodes });
        // Sent as the serialized text: byte-identical to the CLI's export (the schema documents its shape).
        return reply.type('application/json; charset=utf-8').send(text as never);
      },
    );

    for (const kind of CSV_KINDS) {
      scope.get(
        `/api/v1/registry/export/${kind}.csv`,
        {
          schema: {
            tags: ['registry'],
            summary: `Export ${kind} as CSV (UTF-8 with BOM, ";" separated, RFC 4180 quoting)`,
            querystring: exportQuery,
          },
        },
        async (request, reply) => {
          const houseCodes = await checkedHouses(deps.database, houseCodesOf(request.query.house));
          const text = await exportCsv(deps.database, kind, { houseCodes });
          return reply
            .type('text/csv; charset=utf-8')
            .header('content-disposition', `attachment; filename="${kind}.csv"`)
            .send(text);
        },
      );
    }
  });
}

async function checkedHouses(database: Database, codes: string[] | undefined): Promise<string[] | undefined> {
  if (codes === undefined) return undefined;
  const unknown = await unknownHouseCodes(database, codes);
  if (unknown.length > 0) {
    throw new ApiError(
      404,
      'HOUSE_NOT_FOUND',
      `Дома не найдены: ${unknown.join(', ')}.`,
      `Houses not found: ${unknown.join(', ')}.`,
      { houses: unknown },
    );
  }
  return codes;
}
