import { Inject, Injectable } from '@nestjs/common';
import { AppLogger } from '../logging/index.js';
import { Clock } from '../persistence/index.js';
import { HeaderSeal } from './header-seal.js';
import { httpAttempt } from '../http-client/index.js';
import { DeliveryStatus, type WebHookDeliveryEntity } from './web-hook-delivery.entity.js';
import { type AttemptOutcome, WebHookDeliveryRepository } from './web-hook-delivery.repository.js';
import { WebHookDeliveryCounts } from './web-hook-delivery-counts.js';
import {
  attemptTimeout,
  retryDelay,
  WEB_HOOK_OUTBOX_OPTIONS,
  type WebHookOutboxOptions,
} from './web-hook-outbox.options.js';

export type SendOutcome = 'sent' | 'retry' | 'abandoned';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/** What one HTTP attempt came to: an answer the receiver gave, or why there was none. */
type Attempt = { status: number } | { error: Error };

/** Answers worth another attempt besides 5xx: the receiver asks to be tried again later. */
const RETRYABLE_4XX = new Set([408, 425, 429]);

/**
 * Sends one claimed call and records the attempt. Network errors, timeouts and 5xx are retried
 * with exponential back-off up to the attempt bound; any other answer ends the call (a 4xx is
 * logged and kept as the row's last error). Every attempt carries `Idempotency-Key: <row id>`, so
 * a receiver that sees an attempt repeated after a crash can tell it is the same call.
 */
@Injectable()
export class WebHookSender {
  constructor(
    @Inject(WEB_HOOK_OUTBOX_OPTIONS) private readonly options: WebHookOutboxOptions,
    private readonly deliveries: WebHookDeliveryRepository,
    private readonly seal: HeaderSeal,
    private readonly clock: Clock,
    private readonly logger: AppLogger,
    private readonly counts: WebHookDeliveryCounts,
  ) {}

  async deliver(row: WebHookDeliveryEntity): Promise<SendOutcome> {
    // Only reachable when a process died mid-send on the last attempt.
    if (row.attempts > this.options.maxAttempts) {
      await this.finish(row, { status: 'abandoned', nextAttemptAt: null, lastError: row.lastError });
      this.logger.warn('web hook abandoned: attempts exhausted', this.fields(row));
      this.counts.abandoned += 1;
      return 'abandoned';
    }
    const attempt = await this.send(row);
    if ('status' in attempt && !retryable(attempt.status)) {
      const rejected = attempt.status >= 400;
      await this.finish(row, {
        status: 'sent',
        nextAttemptAt: null,
        lastError: rejected ? `the receiver answered ${attempt.status}` : null,
      });
      if (rejected) {
        this.counts.rejected += 1;
        this.logger.warn('web hook rejected by its receiver; not retried', {
          ...this.fields(row),
          status: attempt.status,
        });
      } else {
        this.counts.sent += 1;
        this.logger.debug('web hook delivered', { ...this.fields(row), status: attempt.status });
      }
      return 'sent';
    }
    const reason = 'status' in attempt ? `the receiver answered ${attempt.status}` : attempt.error.message;
    return this.failed(row, reason);
  }

  private async send(row: WebHookDeliveryEntity): Promise<Attempt> {
    try {
      const answer = await httpAttempt(
        {
          url: row.url,
          method: row.method,
          headers: { ...this.seal.open(row.id, row.headers), [IDEMPOTENCY_KEY_HEADER]: row.id },
          body: row.method === 'GET' || row.method === 'HEAD' ? undefined : (row.body ?? undefined),
          timeoutMs: attemptTimeout(this.options, row.timeoutMs),
        },
        false,
      );
      return { status: answer.status };
    } catch (error) {
      return { error: describe(error as Error) };
    }
  }

  private async failed(row: WebHookDeliveryEntity, reason: string): Promise<SendOutcome> {
    const now = this.clock.now();
    const abandoned = row.attempts >= this.options.maxAttempts;
    const nextAttemptAt = abandoned ? null : new Date(now.getTime() + retryDelay(this.options, row.attempts));
    await this.finish(row, {
      status: abandoned ? DeliveryStatus.abandoned : DeliveryStatus.queued,
      nextAttemptAt,
      lastError: reason,
    });
    if (abandoned) this.counts.abandoned += 1;
    else this.counts.failed += 1;
    this.logger.warn(abandoned ? 'web hook abandoned: attempts exhausted' : 'web hook failed, will retry', {
      ...this.fields(row),
      error: reason,
      ...(nextAttemptAt ? { retry_at: nextAttemptAt.toISOString() } : {}),
    });
    return abandoned ? 'abandoned' : 'retry';
  }

  private finish(row: WebHookDeliveryEntity, outcome: AttemptOutcome): Promise<void> {
    return this.deliveries.recordOutcome(row, outcome, this.clock.now());
  }

  /** Log fields: never the headers or body (they may hold credentials or personal data). */
  private fields(row: WebHookDeliveryEntity): Record<string, unknown> {
    return { web_hook_delivery_id: row.id, hook_id: row.hookId ?? undefined, attempt: row.attempts };
  }
}

function retryable(status: number): boolean {
  return status >= 500 || RETRYABLE_4XX.has(status);
}

/** The socket's error names the real problem (`connect ECONNREFUSED 127.0.0.1:1`, a reset). */
function describe(error: Error): Error {
  if ((error as { timedOut?: boolean }).timedOut) return new Error('the attempt timed out');
  const code = (error as Error & { code?: string }).code;
  return code && !error.message.includes(code) ? new Error(`${error.message}: ${code}`) : error;
}
