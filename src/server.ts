import { sql } from 'kysely';
import { z } from 'zod';
import { billingRoutes } from './billing/index.ts';
import { bankRegistryRoutes } from './channels/bank-registry/index.ts';
import { cardChannel } from './channels/card/index.ts';
import { osmpRoutes } from './channels/osmp/index.ts';
import { payByReadingsRoutes } from './channels/pay-by-readings/index.ts';
import { intakeRoutes } from './intake/index.ts';
import { debtRoutes, ledgerRoutes } from './ledger/index.ts';
import type { AppContext } from './platform/app.ts';
import { createHttpApp, type HttpApp } from './platform/http.ts';
import { operatorAuth } from './platform/operator-auth.ts';
import { registryIoRoutes, registryRoutes } from './registry/index.ts';

/** The HTTP face of the system: /health, OpenAPI at /docs, operator API under /api/v1. */
export async function buildServer(
  ctx: AppContext,
  options: { logger?: boolean | object } = {},
): Promise<HttpApp> {
  const app = await createHttpApp(options);
  const deps = { database: ctx.database, clock: ctx.clock };

  app.get(
    '/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Liveness and database reachability',
        security: [],
        response: {
          200: z.object({ status: z.literal('ok'), database: z.literal('ok'), time: z.string() }),
          503: z.object({ status: z.literal('degraded'), database: z.string(), time: z.string() }),
        },
      },
    },
    async (_request, reply) => {
      const time = ctx.clock.now().toISOString();
      try {
        await sql`SELECT 1`.execute(ctx.database.db);
        return reply.status(200).send({ status: 'ok' as const, database: 'ok' as const, time });
      } catch (e) {
        return reply.status(503).send({ status: 'degraded' as const, database: (e as Error).message, time });
      }
    },
  );

  // Card payments: the provider's webhook, the payer's return page and the bundled sandbox provider are
  // public; starting a payment is operator API until the personal account brings subscriber logins.
  const card = cardChannel(ctx);
  await card.publicRoutes(app);
  // Payment terminals and agents (OSMP): their own credentials and networks, not the operator key.
  await osmpRoutes(app, deps);

  await app.register(async (scope: HttpApp) => {
    scope.addHook('onRequest', operatorAuth(ctx.database.db, ctx.config.operatorApiKey));
    await intakeRoutes(scope, deps);
    await registryRoutes(scope, deps);
    await registryIoRoutes(scope, deps);
    await billingRoutes(scope, deps);
    await ledgerRoutes(scope, deps);
    await bankRegistryRoutes(scope, deps);
    await debtRoutes(scope, deps);
    await card.operatorRoutes(scope);
    await payByReadingsRoutes(scope, { card: card.deps });
  });
  return app;
}
