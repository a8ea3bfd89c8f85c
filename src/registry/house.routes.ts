import type { HttpApp } from '../platform/http.ts';
import {
  createHouse,
  createPremises,
  getHouse,
  listHouseViews,
  listPremisesViews,
  patchHouse,
  patchPremises,
} from './house.service.ts';
import {
  codeParams,
  houseCreateSchema,
  houseListQuerySchema,
  housePatchSchema,
  housePremisesParams,
  premisesCreateSchema,
  premisesPatchSchema,
} from './registry.schemas.ts';
import type { RegistryDeps } from './registry-db.ts';

/** Houses and their premises (domain.md §3) under /api/v1/houses. */
export async function houseRoutes(app: HttpApp, d: RegistryDeps): Promise<void> {
  app.get(
    '/api/v1/houses',
    {
      schema: {
        tags: ['houses'],
        summary: 'Houses by region, management company or address text; keyset paging by code (`after`)',
        querystring: houseListQuerySchema,
      },
    },
    async (request) => ({ houses: await listHouseViews(d, request.query) }),
  );
  app.get(
    '/api/v1/houses/:code',
    {
      schema: {
        tags: ['houses'],
        summary: 'A house with its premises (HOUSE_NOT_FOUND 404)',
        params: codeParams,
      },
    },
    async (request) => getHouse(d, request.params.code),
  );
  app.post(
    '/api/v1/houses',
    {
      schema: {
        tags: ['houses'],
        summary: 'Create a house (HOUSE_EXISTS 409; REGION_NOT_FOUND, MANAGEMENT_COMPANY_NOT_FOUND 422)',
        body: houseCreateSchema,
      },
    },
    async (request, reply) => reply.status(201).send(await createHouse(d, request.body)),
  );
  app.patch(
    '/api/v1/houses/:code',
    {
      schema: {
        tags: ['houses'],
        summary:
          'Change a house; a new stove/settlement type moves unfitting accounts to the new default category',
        params: codeParams,
        body: housePatchSchema,
      },
    },
    async (request) => patchHouse(d, request.params.code, request.body),
  );

  app.get(
    '/api/v1/houses/:code/premises',
    {
      schema: {
        tags: ['houses'],
        summary: 'Premises of a house with their active account',
        params: codeParams,
      },
    },
    async (request) => ({ premises: await listPremisesViews(d, request.params.code) }),
  );
  app.post(
    '/api/v1/houses/:code/premises',
    {
      schema: {
        tags: ['houses'],
        summary: 'Add premises to a house (PREMISES_EXISTS 409)',
        params: codeParams,
        body: premisesCreateSchema,
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createPremises(d, request.params.code, request.body)),
  );
  app.patch(
    '/api/v1/houses/:code/premises/:number',
    {
      schema: {
        tags: ['houses'],
        summary: 'Change premises: area, rooms, registered residents, residential or not',
        params: housePremisesParams,
        body: premisesPatchSchema,
      },
    },
    async (request) => patchPremises(d, request.params.code, request.params.number, request.body),
  );
}
