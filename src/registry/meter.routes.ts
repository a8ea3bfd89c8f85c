import type { HttpApp } from '../platform/http.ts';
import { meterCreateSchema, meterPatchSchema, meterReplacementSchema } from './meter.schemas.ts';
import { createMeter, patchMeter, showMeter } from './meter.service.ts';
import { replaceMeter } from './meter-replacement.service.ts';
import { meterParams } from './registry.schemas.ts';
import type { RegistryDeps } from './registry-db.ts';

/** Meters (domain.md §3) under /api/v1/meters: register, show, mark failed, replace. */
export async function meterRoutes(app: HttpApp, d: RegistryDeps): Promise<void> {
  app.post(
    '/api/v1/meters',
    {
      schema: {
        tags: ['meters'],
        summary:
          'Register a meter of an account or a common-house meter with its act (METER_SERIAL_EXISTS 409; VALUE_*, ZONE_COUNT_MISMATCH 422)',
        body: meterCreateSchema,
      },
    },
    async (request, reply) => reply.status(201).send(await createMeter(d, request.body)),
  );
  app.get(
    '/api/v1/meters/:serial',
    {
      schema: {
        tags: ['meters'],
        summary: 'A meter with zone names, validity today, last accepted reading and replacement links',
        params: meterParams,
      },
    },
    async (request) => showMeter(d, request.params.serial),
  );
  app.patch(
    '/api/v1/meters/:serial',
    {
      schema: {
        tags: ['meters'],
        summary: 'Mark failed (with failureReason) or repaired, set the next verification date, commission',
        params: meterParams,
        body: meterPatchSchema,
      },
    },
    async (request) => patchMeter(d, request.params.serial, request.body),
  );
  app.post(
    '/api/v1/meters/:serial/replacement',
    {
      schema: {
        tags: ['meters'],
        summary:
          "Replace a meter: the old one's final reading, the new one's act with initial readings, in one transaction",
        description:
          'Appends the final reading (kind final, channel operator, accepted; counted for the period of the replacement day by the region window), removes the old meter on that day and commissions the new one. FINAL_LOWER_THAN_PREVIOUS, REPLACED_BEFORE_LAST_READING, ZONE_COUNT_MISMATCH, VALUE_* 422; METER_REMOVED, METER_SERIAL_EXISTS 409.',
        params: meterParams,
        body: meterReplacementSchema,
      },
    },
    async (request, reply) =>
      reply.status(201).send(await replaceMeter(d, request.params.serial, request.body)),
  );
}
