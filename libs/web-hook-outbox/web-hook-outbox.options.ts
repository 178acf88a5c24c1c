import { ConfigService } from '../config/index.js';
import { courierOptionsFrom } from '../courier/index.js';

/**
 * The outbox runs on the courier's settings, so one set of knobs drives both queues: the queue
 * (`courier.queue.redis_url`, else `redis.url`; none means the database poller),
 * `courier.worker.pull_count|pull_wait|retry_backoff|claim_timeout`. Kratos has no settings for
 * this (it fires ignored hooks once, in the background), so the attempt bound is fixed.
 */
export interface WebHookOutboxOptions {
  redisUrl?: string;
  queuePrefix: string;
  pullCount: number;
  pullWaitMs: number;
  /** First retry delay; doubles per failed attempt. */
  backoffMs: number;
  /** A row in `processing` longer than this belongs to a dead process and is taken over. */
  claimTimeoutMs: number;
  /** Attempts before a call is abandoned. */
  maxAttempts: number;
}

export const WEB_HOOK_OUTBOX_OPTIONS = Symbol('WEB_HOOK_OUTBOX_OPTIONS');

/** Ten attempts: with the default 1 s back-off the last one starts about 8.5 minutes after the first. */
export const WEB_HOOK_MAX_ATTEMPTS = 10;

const MAX_BACKOFF_MS = 10 * 60_000;

/** Delay before the next attempt after `attempts` failed ones. */
export function retryDelay(options: WebHookOutboxOptions, attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, options.backoffMs * 2 ** Math.max(0, attempts - 1));
}

/**
 * An attempt never outlives the claim: a longer one could be taken over while still on the wire
 * and reach the receiver twice at once.
 */
export function attemptTimeout(options: WebHookOutboxOptions, timeoutMs: number): number {
  return Math.max(1, Math.min(timeoutMs, options.claimTimeoutMs - 1_000));
}

export function webHookOutboxOptionsFrom(config: ConfigService): WebHookOutboxOptions {
  const courier = courierOptionsFrom(config);
  return {
    redisUrl: courier.redisUrl,
    queuePrefix: courier.queuePrefix,
    pullCount: courier.pullCount,
    pullWaitMs: courier.pullWaitMs,
    backoffMs: courier.backoffMs,
    claimTimeoutMs: courier.claimTimeoutMs,
    maxAttempts: WEB_HOOK_MAX_ATTEMPTS,
  };
}
