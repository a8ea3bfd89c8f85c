import type { HttpApp } from '../platform/http.ts';
import { accountCard, createAccount, patchAccount, searchAccountHits } from './account.service.ts';
import {
  accountCreateSchema,
  accountParams,
  accountPatchSchema,
  accountSearchQuerySchema,
} from './registry.schemas.ts';
import type { RegistryDeps } from './registry-db.ts';

/** Accounts (domain.md §3) under /api/v1/accounts: search, card, open, change. */
export async function accountRoutes(app: HttpApp, d: RegistryDeps): Promise<void> {
  app.get(
    '/api/v1/accounts',
    {
      schema: {
        tags: ['accounts'],
        summary:
          'Find accounts by number prefix, linked phone, meter serial, payer name or address words (≤ 50)',
        querystring: accountSearchQuerySchema,
      },
    },
    async (request) => ({ q: request.query.q, accounts: await searchAccountHits(d, request.query) }),
  );
  app.get(
    '/api/v1/accounts/:number',
    {
      schema: {
        tags: ['accounts'],
        summary:
          'The account card: payer, premises, house, region, principal, phones, meters with zone names, validity today and last accepted reading',
        params: accountParams,
      },
    },
    async (request) => accountCard(d, request.params.number),
  );
  app.post(
    '/api/v1/accounts',
    {
      schema: {
        tags: ['accounts'],
        summary:
          'Open an account on premises (ACCOUNT_EXISTS, PREMISES_HAS_ACTIVE_ACCOUNT 409; TARIFF_CATEGORY_MISMATCH 422)',
        body: accountCreateSchema,
      },
    },
    async (request, reply) => reply.status(201).send(await createAccount(d, request.body)),
  );
  app.patch(
    '/api/v1/accounts/:number',
    {
      schema: {
        tags: ['accounts'],
        summary:
          'Change an account: payer, contacts (phones replace the set), category, principal, close/reopen',
        params: accountParams,
        body: accountPatchSchema,
      },
    },
    async (request) => patchAccount(d, request.params.number, request.body),
  );
}
