import type { HttpApp } from '../platform/http.ts';
import { addParameter, listParameterRows } from './parameter.service.ts';
import type { RegistryDeps } from './registry-db.ts';
import {
  commonNormCreateSchema,
  inForceQuerySchema,
  normCreateSchema,
  parameterCreateSchema,
  parameterListQuerySchema,
  tariffCreateSchema,
  tariffListQuerySchema,
} from './tariff.schemas.ts';
import {
  addCommonNorm,
  addNorm,
  addTariff,
  listCommonNorms,
  listNorms,
  listTariffs,
} from './tariff.service.ts';

/** Effective-dated tariffs, norms, common-needs norms and rule parameters under /api/v1. */
export async function tariffRoutes(app: HttpApp, d: RegistryDeps): Promise<void> {
  app.get(
    '/api/v1/tariffs',
    {
      schema: {
        tags: ['tariffs'],
        summary:
          'Tariffs in force on a date (each region’s local today by default), kopecks and rubles per kWh',
        querystring: tariffListQuerySchema,
      },
    },
    async (request) => ({ on: request.query.on ?? null, tariffs: await listTariffs(d, request.query) }),
  );
  app.post(
    '/api/v1/tariffs',
    {
      schema: {
        tags: ['tariffs'],
        summary:
          'Add a tariff zone (and volume range) from a date; price in RUB ("7.87") or kopecks (TARIFF_ZONE_MISMATCH 422, TARIFF_EXISTS, TARIFF_RANGE_OVERLAP 409)',
        body: tariffCreateSchema,
      },
    },
    async (request, reply) => reply.status(201).send(await addTariff(d, request.body)),
  );
  app.get(
    '/api/v1/norms',
    {
      schema: {
        tags: ['tariffs'],
        summary: 'Consumption norms per person in force on a date, by stove type × rooms × residents',
        querystring: inForceQuerySchema,
      },
    },
    async (request) => ({ on: request.query.on ?? null, norms: await listNorms(d, request.query) }),
  );
  app.post(
    '/api/v1/norms',
    {
      schema: {
        tags: ['tariffs'],
        summary: 'Add a norm cell from a date, kWh per person per month (NORM_EXISTS 409)',
        body: normCreateSchema,
      },
    },
    async (request, reply) => reply.status(201).send(await addNorm(d, request.body)),
  );
  app.get(
    '/api/v1/common-norms',
    {
      schema: {
        tags: ['tariffs'],
        summary: 'Common-needs norms (kWh per m² of common area) in force on a date',
        querystring: inForceQuerySchema,
      },
    },
    async (request) => ({
      on: request.query.on ?? null,
      commonNorms: await listCommonNorms(d, request.query),
    }),
  );
  app.post(
    '/api/v1/common-norms',
    {
      schema: {
        tags: ['tariffs'],
        summary: 'Add a common-needs norm from a date (COMMON_NORM_EXISTS 409)',
        body: commonNormCreateSchema,
      },
    },
    async (request, reply) => reply.status(201).send(await addCommonNorm(d, request.body)),
  );
  app.get(
    '/api/v1/parameters',
    {
      schema: {
        tags: ['parameters'],
        summary: 'Rule parameters with their effective dates: defaults and, with ?region=, that region’s own',
        querystring: parameterListQuerySchema,
      },
    },
    async (request) => ({ parameters: await listParameterRows(d, request.query.region) }),
  );
  app.post(
    '/api/v1/parameters',
    {
      schema: {
        tags: ['parameters'],
        summary: 'Add a parameter value from a date (PARAMETER_EXISTS 409, PARAMETER_VALUE_INVALID 422)',
        body: parameterCreateSchema,
      },
    },
    async (request, reply) => reply.status(201).send(await addParameter(d, request.body)),
  );
}
