export { type CardChannel, cardChannel, cardDepsFrom, cardProviderFromConfig } from './card-channel.ts';
export {
  type CardDeps,
  type CardPaymentRequest,
  type CardPaymentView,
  CardProviderUnavailableError,
  cardPaymentStatus,
  startCardPayment,
} from './card-payment.service.ts';
export {
  handleProviderNotification,
  type ReconcileSummary,
  reconcilePendingCardPayments,
} from './card-payment-sync.service.ts';
export type { PaymentProvider, ProviderPayment } from './payment-provider.ts';
