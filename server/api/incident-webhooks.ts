/**
 * Outgoing webhooks for incident revisions: each stored revision is POSTed as JSON to
 * `BLAST_WEBHOOK_URL`, signed with HMAC-SHA256 over the exact body bytes with `BLAST_WEBHOOK_SECRET`:
 *
 *     POST <url>
 *     Content-Type: application/json
 *     X-Blast-Event: incident.revision
 *     X-Blast-Delivery: inc:2026-03-litellm#3          (the same on every retry of one revision)
 *     X-Blast-Signature-256: sha256=<hex HMAC-SHA256(secret, body)>
 *
 *     { "event": "incident.revision", "incident": "inc:…", "revision": { revision, snapshotId, at, diff } }
 *
 * A receiver checks the signature with a constant-time compare before trusting the body. Deliveries
 * never block a write or a request: they run in the background, one revision after another, each
 * retried with exponential backoff (1 s, 2 s, 4 s, … by default) on a network error, a timeout, or an
 * HTTP 408, 429 or 5xx answer; another 4xx is the receiver refusing it, and is not retried. A delivery
 * that fails for good is logged. Nothing is persisted: revisions stay queryable in the graph.
 */
import { createHmac } from 'node:crypto';
import { BlastError } from '../model/errors.js';
import type { ErrorLog } from './errors.js';
import type { RevisionEvent } from './incident-watcher.js';

export const SIGNATURE_HEADER = 'x-blast-signature-256';

export interface WebhookOptions {
  /** Where to POST (http or https). */
  url: string;
  /** The HMAC key; without one, deliveries are unsigned (a warning is logged once). */
  secret?: string | null;
  /**
   * Attempts per delivery, the first included.
   * @default 6
   */
  attempts?: number;
  /**
   * The first retry's delay in ms; each next one doubles.
   * @default 1000
   */
  backoffMs?: number;
  /**
   * Time allowed per attempt, in ms.
   * @default 10000
   */
  timeoutMs?: number;
}

/** `sha256=<hex>` for `body` under `secret`. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** The webhook settings from the environment, or null when BLAST_WEBHOOK_URL is unset. */
export function webhookFromEnv(env: NodeJS.ProcessEnv): WebhookOptions | null {
  const url = env.BLAST_WEBHOOK_URL?.trim();
  if (!url) return null;
  return { url, secret: env.BLAST_WEBHOOK_SECRET || null };
}

export class WebhookSender {
  private chain: Promise<void> = Promise.resolve();
  private pending = 0;
  private closed = false;
  private readonly url: URL;

  constructor(
    private readonly options: WebhookOptions,
    private readonly log: ErrorLog,
  ) {
    let url: URL | null = null;
    try {
      url = new URL(options.url);
    } catch {
      url = null;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new BlastError('BAD_INPUT', `"${options.url.slice(0, 200)}" is not an http(s) URL`, { input: 'BLAST_WEBHOOK_URL' });
    }
    this.url = url;
    if (!options.secret) log.error('BLAST_WEBHOOK_SECRET is not set: webhook deliveries are not signed', new Error('no webhook secret'));
  }

  /** Queues one revision for delivery; returns at once. */
  send(event: RevisionEvent): void {
    if (this.closed) return;
    const body = JSON.stringify({ event: 'incident.revision', incident: event.incident, revision: event.revision });
    const delivery = `${event.incident}#${event.revision.revision}`;
    this.pending++;
    this.chain = this.chain
      .then(() => this.deliver(body, delivery))
      .catch((err) => this.log.error(`webhook delivery ${delivery} failed`, err))
      .finally(() => {
        this.pending--;
      });
  }

  /** Resolves when every queued delivery has finished (delivered or given up). */
  async idle(): Promise<void> {
    while (this.pending > 0) await this.chain;
  }

  /** Stops taking new deliveries and waits for the queued ones. */
  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
  }

  private async deliver(body: string, delivery: string): Promise<void> {
    const attempts = this.options.attempts ?? 6;
    const backoff = this.options.backoffMs ?? 1000;
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-blast-event': 'incident.revision', 'x-blast-delivery': delivery, 'user-agent': 'blast-radius-webhook' };
    if (this.options.secret) headers[SIGNATURE_HEADER] = signBody(this.options.secret, body);
    let last = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, backoff * 2 ** (attempt - 2)));
      try {
        const response = await fetch(this.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000), redirect: 'manual' });
        await response.body?.cancel().catch(() => undefined);
        if (response.ok) return;
        last = `HTTP ${response.status}`;
        if (response.status < 500 && response.status !== 408 && response.status !== 429) break;
      } catch (err) {
        last = err instanceof Error ? err.message : String(err);
      }
    }
    throw new Error(`${this.url.origin}${this.url.pathname}: ${last} (gave up)`);
  }
}
