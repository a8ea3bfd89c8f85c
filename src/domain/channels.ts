/** Every channel a reading can come through (domain.md §4). Each is a thin adapter over the one intake. */
export const READING_CHANNELS = [
  'portal', // personal account on the web
  'app', // mobile app
  'sms',
  'email',
  'telegram',
  'viber',
  'webchat', // chat bot on the website
  'ivr', // voice menu
  'phone', // contact-centre operator taking a call
  'gosuslugi', // state portal
  'partner', // banks, agents via the partner API
  'kiosk', // office and multifunctional-centre terminals
  'terminal', // payment terminals together with a payment
  'paper', // tear-off of the bill, entered in batches
  'inspector', // control readings by the supplier's inspectors
  'smart', // smart meters
  'operator', // back-office entry
  'import', // management company data, registry import
] as const;

export type ReadingChannel = (typeof READING_CHANNELS)[number];

export function isReadingChannel(value: string): value is ReadingChannel {
  return (READING_CHANNELS as readonly string[]).includes(value);
}
