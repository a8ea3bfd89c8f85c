import { createHmac } from 'node:crypto';
import type { Clock } from '../platform/clock.ts';

/**
 * HTTP notifications to the merchant (webhooks). Each attempt is signed afresh:
 * `X-Sandbox-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(webhook secret, t + "." + body)>`.
 * A delivery that fails (network error, timeout, non-2xx answer) is retried after each delay in turn.
 */

export const SIGNATURE_HEADER = 'x-sandbox-signature';

export function signatureHeader(secret: string, unixSeconds: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

export interface DeliveryAttempt {
  paymentId: string;
  event: string;
  attempt: number;
  at: string;
  /** The merchant's HTTP status, or the network error. */
  status: number | undefined;
  error: string | undefined;
}

export interface NotifierOptions {
  clock: Clock;
  retryDelaysMs: number[];
  timeoutMs: number;
  log: (line: string) => void;
}

export class Notifier {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly aborts = new Set<AbortController>();
  private closed = false;
  readonly attempts: DeliveryAttempt[] = [];

  constructor(private readonly o: NotifierOptions) {}

  /** Sends the notification; resolves true once delivered, false when every attempt failed or on close. */
  deliver(url: string, secret: string, paymentId: string, event: string, body: string): Promise<boolean> {
    return new Promise((resolve) => {
      const attempt = async (n: number) => {
        if (this.closed) return resolve(false);
        const ok = await this.send(url, secret, paymentId, event, body, n);
        if (ok) return resolve(true);
        const delay = this.o.retryDelaysMs[n - 1];
        if (delay === undefined || this.closed) {
          this.o.log(`sandbox-pay: notification ${event} ${paymentId} given up after ${n} attempts`);
          return resolve(false);
        }
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          void attempt(n + 1);
        }, delay);
        this.timers.add(timer);
      };
      void attempt(1);
    });
  }

  private async send(url: string, secret: string, paymentId: string, event: string, body: string, n: number) {
    const abort = new AbortController();
    this.aborts.add(abort);
    const timeout = setTimeout(() => abort.abort(), this.o.timeoutMs);
    const t = Math.floor(this.o.clock.now().getTime() / 1000);
    const record: DeliveryAttempt = {
      paymentId,
      event,
      attempt: n,
      at: this.o.clock.now().toISOString(),
      status: undefined,
      error: undefined,
    };
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signatureHeader(secret, t, body) },
        body,
        signal: abort.signal,
      });
      await res.arrayBuffer().catch(() => undefined);
      record.status = res.status;
      return res.status >= 200 && res.status < 300;
    } catch (e) {
      record.error = (e as Error).message;
      return false;
    } finally {
      clearTimeout(timeout);
      this.aborts.delete(abort);
      this.attempts.push(record);
    }
  }

  close() {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const a of this.aborts) a.abort();
  }
}
