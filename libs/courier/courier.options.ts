import { ConfigService } from '../config/index.js';
import type { MessageType } from './courier-message.entity.js';

export interface HttpRequestConfig {
  url: string;
  method: string;
  headers: Record<string, string>;
  /** Kratos' Jsonnet request body (file://, base64://, https://), called with `ctx`. */
  body?: string;
  auth?:
    | { type: 'basic_auth'; config: { user: string; password: string } }
    | { type: 'api_key'; config: { name: string; value: string; in?: 'header' | 'cookie' } };
}

export interface SmtpOptions {
  connectionUri: string;
  fromAddress: string;
  fromName?: string;
  headers: Record<string, string>;
  localName: string;
}

export interface CourierOptions {
  dev: boolean;
  /** `courier.message_retries`: failed attempts retried this many times, then abandoned. */
  retries: number;
  pullCount: number;
  pullWaitMs: number;
  /** First retry delay; doubles per failed attempt. */
  backoffMs: number;
  /** A row in `processing` longer than this belongs to a dead worker and is taken over. */
  claimTimeoutMs: number;
  smtp?: SmtpOptions;
  /** `courier.delivery_strategy: http`: email goes through this request instead of SMTP. */
  emailHttp?: HttpRequestConfig;
  smsHttp?: HttpRequestConfig;
  redisUrl?: string;
  /** Key prefix of the BullMQ queue `courier` in Redis. */
  queuePrefix: string;
  cwd: string;
}

export const COURIER_OPTIONS = Symbol('COURIER_OPTIONS');

const MAX_BACKOFF_MS = 10 * 60_000;

/** Delay before attempt `attempt + 1` after `attempt` failed attempts. */
export function backoffAfter(options: CourierOptions, attempt: number): number {
  return Math.min(MAX_BACKOFF_MS, options.backoffMs * 2 ** Math.max(0, attempt - 1));
}

/** One send plus `message_retries` retries, as Kratos counts them. */
export function maxAttempts(options: CourierOptions): number {
  return options.retries + 1;
}

/** The message types something can deliver; the rest stay queued. `--dev` logs what it cannot send. */
export function deliverableTypes(options: CourierOptions): MessageType[] {
  const types: MessageType[] = [];
  if (options.dev || options.smtp || options.emailHttp) types.push('email');
  if (options.dev || options.smsHttp) types.push('sms');
  return types;
}

function httpConfig(raw: Record<string, unknown> | undefined): HttpRequestConfig | undefined {
  if (!raw || typeof raw['url'] !== 'string') return undefined;
  return {
    url: raw['url'],
    method: String(raw['method'] ?? 'POST').toUpperCase(),
    headers: (raw['headers'] as Record<string, string> | undefined) ?? {},
    body: typeof raw['body'] === 'string' ? raw['body'] : undefined,
    auth: raw['auth'] as HttpRequestConfig['auth'],
  };
}

export function courierOptionsFrom(config: ConfigService, cwd = process.cwd()): CourierOptions {
  const smtpUri = config.get<string>('courier.smtp.connection_uri');
  const channels =
    config.get<{ id: string; type?: string; request_config?: Record<string, unknown> }[]>('courier.channels');
  const sms = channels?.find((channel) => channel.id === 'sms');
  const strategy = config.get<string>('courier.delivery_strategy') ?? 'smtp';
  return {
    dev: config.dev,
    retries: config.get<number>('courier.message_retries') ?? 5,
    pullCount: config.get<number>('courier.worker.pull_count') ?? 10,
    pullWaitMs: config.duration('courier.worker.pull_wait', '1s'),
    backoffMs: config.duration('courier.worker.retry_backoff', '1s'),
    claimTimeoutMs: config.duration('courier.worker.claim_timeout', '1m'),
    smtp: smtpUri
      ? {
          connectionUri: smtpUri,
          fromAddress: config.get<string>('courier.smtp.from_address') ?? 'no-reply@ory.kratos.sh',
          fromName: config.get<string>('courier.smtp.from_name'),
          headers: config.get<Record<string, string>>('courier.smtp.headers') ?? {},
          localName: config.get<string>('courier.smtp.local_name') ?? 'localhost',
        }
      : undefined,
    emailHttp:
      strategy === 'http'
        ? httpConfig(config.get<Record<string, unknown>>('courier.http.request_config'))
        : undefined,
    smsHttp: httpConfig(sms?.request_config),
    redisUrl: config.get<string>('courier.queue.redis_url') ?? config.get<string>('redis.url'),
    queuePrefix: config.get<string>('courier.queue.prefix') ?? 'tessera',
    cwd,
  };
}
