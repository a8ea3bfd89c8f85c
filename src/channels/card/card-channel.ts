import type { AppContext } from '../../platform/app.ts';
import type { Config } from '../../platform/config.ts';
import type { HttpApp } from '../../platform/http.ts';
import { createSandboxPay } from '../../sandbox-pay/index.ts';
import { cardPaymentRoutes, cardPublicRoutes } from './card.routes.ts';
import type { CardDeps } from './card-payment.service.ts';
import { reconcilePendingCardPayments } from './card-payment-sync.service.ts';
import type { PaymentProvider } from './payment-provider.ts';
import { sandboxProvider } from './sandbox-provider.ts';

/**
 * Card payments in the server (docs/payments-card.md): the provider named by PAYMENT_PROVIDER_URL, or the
 * bundled sandbox provider mounted at /sandbox-pay of this very server (so `npm start` takes card payments).
 */

export const SANDBOX_MOUNT = '/sandbox-pay';

/** Where this server answers itself (the mounted sandbox is called over HTTP like any provider). */
function selfUrl(config: Config): string {
  const host = ['0.0.0.0', '::', ''].includes(config.host) ? '127.0.0.1' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
}

export function cardProviderFromConfig(config: Config): PaymentProvider {
  const c = config.cardPayments;
  return sandboxProvider({
    baseUrl: c.providerUrl ?? `${selfUrl(config)}${SANDBOX_MOUNT}`,
    shopId: c.shopId,
    secretKey: c.secretKey,
    webhookSecret: c.webhookSecret,
  });
}

export function cardDepsFrom(ctx: AppContext): CardDeps {
  return {
    db: ctx.database.db,
    clock: ctx.clock,
    provider: cardProviderFromConfig(ctx.config),
    publicUrl: ctx.config.cardPayments.publicUrl,
  };
}

export interface CardChannel {
  deps: CardDeps;
  /** The webhook, the payer's return page, the mounted sandbox and the periodic reconciliation. */
  publicRoutes(app: HttpApp): Promise<void>;
  /** The operator API (register inside operator authentication). */
  operatorRoutes(scope: HttpApp): Promise<void>;
}

export function cardChannel(ctx: AppContext): CardChannel {
  const deps = cardDepsFrom(ctx);
  const c = ctx.config.cardPayments;
  return {
    deps,
    async publicRoutes(app) {
      if (!c.providerUrl) {
        const sandbox = createSandboxPay({
          clock: ctx.clock,
          publicUrl: `${c.publicUrl}${SANDBOX_MOUNT}`,
          shops: [
            {
              shopId: c.shopId,
              secretKey: c.secretKey,
              webhookSecret: c.webhookSecret,
              webhookUrl: `${selfUrl(ctx.config)}/api/v1/payment-providers/${deps.provider.name}/webhook`,
              name: 'Энергосбыт (тестовый магазин)',
            },
          ],
          log: (line) => app.log.warn(line),
        });
        await app.register(sandbox.plugin, { prefix: SANDBOX_MOUNT });
        app.addHook('onClose', async () => sandbox.close());
      }
      await cardPublicRoutes(app, deps);
      if (c.reconcileSeconds > 0) startReconciler(app, deps, c.reconcileSeconds);
    },
    async operatorRoutes(scope) {
      await cardPaymentRoutes(scope, deps);
    },
  };
}

/** Polls the provider for unfinished card payments while the server runs (lost webhooks, timeouts). */
function startReconciler(app: HttpApp, deps: CardDeps, seconds: number) {
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  app.addHook('onReady', async () => {
    timer = setInterval(async () => {
      if (running) return;
      running = true;
      try {
        const s = await reconcilePendingCardPayments(deps);
        if (s.checked > 0) app.log.info({ cardReconcile: s }, 'card payments reconciled');
      } catch (e) {
        app.log.error(e, 'card payment reconciliation failed');
      } finally {
        running = false;
      }
    }, seconds * 1000);
    timer.unref();
  });
  app.addHook('onClose', async () => clearInterval(timer));
}
