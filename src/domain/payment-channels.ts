/**
 * Every channel money comes through (domain.md §9). Each is a thin adapter over the one payment use case
 * (src/ledger): it turns its input into a payment submission and renders the typed result.
 */
export const PAYMENT_CHANNELS = [
  'card', // card payment from the personal account or the app, through a payment provider's hosted page
  'osmp', // payment terminals and agents over the OSMP (QIWI-style) check/pay protocol
  'bank_registry', // bank branches and online banks: the daily payment registry
  'cash_desk', // cash desks in the supplier's offices
  'post', // Russian Post
  'operator', // entered by the back office from a bank statement
] as const;

export type PaymentChannel = (typeof PAYMENT_CHANNELS)[number];

export function isPaymentChannel(value: string): value is PaymentChannel {
  return (PAYMENT_CHANNELS as readonly string[]).includes(value);
}
