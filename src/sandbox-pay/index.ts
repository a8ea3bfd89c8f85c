export {
  createSandboxPay,
  type SandboxPay,
  type SandboxPayOptions,
  type SandboxShop,
  startSandboxPay,
} from './sandbox-pay.app.ts';
export { TEST_CARDS } from './sandbox-pay.cards.ts';
export { type DeliveryAttempt, SIGNATURE_HEADER, signatureHeader } from './sandbox-pay.notifier.ts';
