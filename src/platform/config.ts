import path from 'node:path';

/** Process configuration from the environment. Every external server is switchable without code changes. */
export interface Config {
  /** External PostgreSQL; when absent an embedded server is started in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  embeddedPgPort: number;
  port: number;
  host: string;
  /** Fixed clock for what-if runs, demos and tests (ISO timestamp). */
  clock: string | undefined;
  /** Operator API key accepted in addition to keys stored in the database. */
  operatorApiKey: string | undefined;
  demoAccounts: number;
  logLevel: string;
  /** Card payments: provider, shop credentials, public address (docs/payments-card.md). */
  cardPayments: CardPaymentConfig;
}

export interface CardPaymentConfig {
  /** The payment provider's API; unset = the bundled sandbox provider mounted in the server at /sandbox-pay. */
  providerUrl: string | undefined;
  shopId: string;
  secretKey: string;
  webhookSecret: string;
  /** The address browsers reach abonent at (payment pages link back to it). */
  publicUrl: string;
  /** How often the server polls the provider for unfinished card payments; 0 = never. */
  reconcileSeconds: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.ABONENT_DATA_DIR || path.join(process.cwd(), '.data')),
    embeddedPgPort: intFrom(env.ABONENT_PG_PORT, 54329, 'ABONENT_PG_PORT'),
    port: intFrom(env.PORT, 3000, 'PORT'),
    host: env.HOST || '0.0.0.0',
    clock: env.ABONENT_CLOCK || undefined,
    operatorApiKey: env.ABONENT_API_KEY || undefined,
    demoAccounts: intFrom(env.ABONENT_DEMO_ACCOUNTS, 2000, 'ABONENT_DEMO_ACCOUNTS'),
    logLevel: env.LOG_LEVEL || 'info',
    cardPayments: {
      providerUrl: env.PAYMENT_PROVIDER_URL || undefined,
      shopId: env.PAYMENT_SHOP_ID || 'sandbox-shop',
      secretKey: env.PAYMENT_SECRET_KEY || 'test_sandbox_secret',
      webhookSecret: env.PAYMENT_WEBHOOK_SECRET || 'whsec_sandbox_dev',
      publicUrl: (env.ABONENT_PUBLIC_URL || `http://localhost:${intFrom(env.PORT, 3000, 'PORT')}`).replace(
        /\/+$/,
        '',
      ),
      reconcileSeconds: intFrom(env.CARD_RECONCILE_SECONDS, 60, 'CARD_RECONCILE_SECONDS'),
    },
  };
}

function intFrom(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}
