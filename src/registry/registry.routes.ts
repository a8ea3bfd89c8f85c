import type { Database } from '../platform/database.ts';
import type { HttpApp } from '../platform/http.ts';
import { accountRoutes } from './account.routes.ts';
import { houseRoutes } from './house.routes.ts';
import { meterRoutes } from './meter.routes.ts';
import {
  createCompany,
  createPrincipal,
  createRegion,
  getCompany,
  getPrincipal,
  getRegion,
  listCompanyViews,
  listPrincipalViews,
  listRegionViews,
  patchCompany,
  patchPrincipal,
} from './party.service.ts';
import {
  codeParams,
  companyCreateSchema,
  companyPatchSchema,
  principalCreateSchema,
  principalPatchSchema,
  regionCodeSchema,
  regionCreateSchema,
  strict,
} from './registry.schemas.ts';
import type { RegistryDeps } from './registry-db.ts';
import { tariffRoutes } from './tariff.routes.ts';

/**
 * The registry over HTTP (domain.md §3): regions, principals, management companies, houses, premises,
 * accounts, meters and their replacement, tariffs, norms and parameters — by natural keys under /api/v1.
 * Bad input is answered 4xx with a reason code and changes nothing. Authentication is the caller's.
 */
export async function registryRoutes(
  app: HttpApp,
  deps: { database: Database; clock: { now(): Date } },
): Promise<void> {
  const d: RegistryDeps = { db: deps.database.db, clock: deps.clock };

  app.get(
    '/api/v1/regions',
    {
      schema: {
        tags: ['regions'],
        summary: 'Regions with their time zone and readings window in force today',
      },
    },
    async () => ({ regions: await listRegionViews(d) }),
  );
  app.get(
    '/api/v1/regions/:code',
    {
      schema: {
        tags: ['regions'],
        summary: 'One region',
        params: strict({ code: regionCodeSchema }),
      },
    },
    async (request) => getRegion(d, request.params.code),
  );
  app.post(
    '/api/v1/regions',
    {
      schema: {
        tags: ['regions'],
        summary: 'Create a region (IANA time zone checked; REGION_EXISTS 409, TIME_ZONE_INVALID 422)',
        body: regionCreateSchema,
      },
    },
    async (request, reply) => reply.status(201).send(await createRegion(d, request.body)),
  );

  app.get(
    '/api/v1/principals',
    {
      schema: { tags: ['principals'], summary: 'Principals: suppliers and agents whose details go on bills' },
    },
    async () => ({ principals: await listPrincipalViews(d) }),
  );
  app.get(
    '/api/v1/principals/:code',
    { schema: { tags: ['principals'], summary: 'One principal', params: codeParams } },
    async (request) => getPrincipal(d, request.params.code),
  );
  app.post(
    '/api/v1/principals',
    {
      schema: {
        tags: ['principals'],
        summary: 'Create a principal with bank details (PRINCIPAL_EXISTS 409)',
        body: principalCreateSchema,
      },
    },
    async (request, reply) => reply.status(201).send(await createPrincipal(d, request.body)),
  );
  app.patch(
    '/api/v1/principals/:code',
    {
      schema: {
        tags: ['principals'],
        summary: 'Change a principal (null clears a field)',
        params: codeParams,
        body: principalPatchSchema,
      },
    },
    async (request) => patchPrincipal(d, request.params.code, request.body),
  );

  app.get(
    '/api/v1/management-companies',
    { schema: { tags: ['management companies'], summary: 'Management companies (УК, ТСЖ)' } },
    async () => ({ managementCompanies: await listCompanyViews(d) }),
  );
  app.get(
    '/api/v1/management-companies/:code',
    { schema: { tags: ['management companies'], summary: 'One management company', params: codeParams } },
    async (request) => getCompany(d, request.params.code),
  );
  app.post(
    '/api/v1/management-companies',
    {
      schema: {
        tags: ['management companies'],
        summary: 'Create a management company (MANAGEMENT_COMPANY_EXISTS 409)',
        body: companyCreateSchema,
      },
    },
    async (request, reply) => reply.status(201).send(await createCompany(d, request.body)),
  );
  app.patch(
    '/api/v1/management-companies/:code',
    {
      schema: {
        tags: ['management companies'],
        summary: 'Change a management company',
        params: codeParams,
        body: companyPatchSchema,
      },
    },
    async (request) => patchCompany(d, request.params.code, request.body),
  );

  await houseRoutes(app, d);
  await accountRoutes(app, d);
  await meterRoutes(app, d);
  await tariffRoutes(app, d);
}
