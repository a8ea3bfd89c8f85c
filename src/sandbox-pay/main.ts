import { startSandboxPay } from './sandbox-pay.app.ts';

/**
 * The sandbox provider on its own, as a separate service: `tsx src/sandbox-pay/main.ts`.
 * SANDBOX_PAY_PORT (default 3100), SANDBOX_PAY_HOST, SANDBOX_PAY_PUBLIC_URL, and the one test shop:
 * PAYMENT_SHOP_ID, PAYMENT_SECRET_KEY, PAYMENT_WEBHOOK_SECRET, SANDBOX_PAY_WEBHOOK_URL (abonent's
 * /api/v1/payment-providers/sandbox/webhook). Point abonent at it with PAYMENT_PROVIDER_URL.
 */
const env = process.env;
const port = Number(env.SANDBOX_PAY_PORT || 3100);
const server = await startSandboxPay({
  host: env.SANDBOX_PAY_HOST || '127.0.0.1',
  port,
  publicUrl: env.SANDBOX_PAY_PUBLIC_URL || undefined,
  shops: [
    {
      shopId: env.PAYMENT_SHOP_ID || 'sandbox-shop',
      secretKey: env.PAYMENT_SECRET_KEY || 'test_sandbox_secret',
      webhookSecret: env.PAYMENT_WEBHOOK_SECRET || 'whsec_sandbox_dev',
      webhookUrl:
        env.SANDBOX_PAY_WEBHOOK_URL || 'http://127.0.0.1:3000/api/v1/payment-providers/sandbox/webhook',
      name: env.SANDBOX_PAY_MERCHANT || 'АО «Энергосбыт» (тестовый магазин)',
    },
  ],
  log: (line) => process.stdout.write(`${line}\n`),
});
process.stdout.write(`sandbox-pay: ${server.url}\n`);
const stop = () => void server.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
