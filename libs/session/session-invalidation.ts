import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** What other replicas must stop serving from their whoami caches. */
export type Invalidation = { session: string } | { identity: string; except?: string };
/** What a replica applies: another's invalidation, or everything after it may have missed some. */
export type Received = Invalidation | { all: true };

/**
 * Tells every replica's whoami cache what this one revoked or changed. A replica that may have
 * missed a message (its subscription is down) is `unreliable` and must not answer from its cache.
 */
export interface SessionInvalidationBus {
  publish(invalidation: Invalidation): Promise<void>;
  onInvalidation(handler: (invalidation: Received) => void): void;
  readonly reliable: boolean;
  close(): Promise<void>;
}

export const SESSION_INVALIDATION = Symbol('SESSION_INVALIDATION');

export const INVALIDATION_CHANNEL = 'tessera:sessions:invalidate';
const CONNECTION_PREFIX = 'tessera-sessions-';

/** One process: the cache is evicted where the change happened, so there is nothing to tell. */
export class LocalInvalidationBus implements SessionInvalidationBus {
  readonly reliable = true;
  async publish(): Promise<void> {}
  onInvalidation(): void {}
  async close(): Promise<void> {}
}

function parse(message: string): { origin: string; invalidation: Invalidation } | undefined {
  try {
    const parsed = JSON.parse(message) as { origin?: unknown; session?: unknown; identity?: unknown };
    if (typeof parsed.origin !== 'string') return undefined;
    if (typeof parsed.session === 'string')
      return { origin: parsed.origin, invalidation: { session: parsed.session } };
    if (typeof parsed.identity === 'string') {
      const except = (parsed as { except?: unknown }).except;
      return {
        origin: parsed.origin,
        invalidation: { identity: parsed.identity, ...(typeof except === 'string' ? { except } : {}) },
      };
    }
  } catch {
    // Not ours: ignored.
  }
  return undefined;
}

/**
 * Redis pub/sub between replicas. Messages carry ids only. The subscription has a connection of
 * its own (a subscribed connection can do nothing else); while it is not subscribed, this
 * replica's cache is bypassed, so an outage costs speed, never a revoked session served.
 */
export class RedisInvalidationBus implements SessionInvalidationBus {
  private readonly origin: string;
  private readonly handlers: ((invalidation: Received) => void)[] = [];
  private missedSome = false;
  private subscribed = false;

  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
  ) {
    this.origin = subscriber.options.connectionName!.slice(CONNECTION_PREFIX.length);
    subscriber.on('message', (channel: string, message: string) => {
      if (channel !== INVALIDATION_CHANNEL) return;
      const received = parse(message);
      if (!received || received.origin === this.origin) return;
      for (const handler of this.handlers) handler(received.invalidation);
    });
    // A reconnection may have missed messages: nothing cached before it can be trusted.
    subscriber.on('close', () => this.lost());
    subscriber.on('end', () => this.lost());
    subscriber.on('ready', () => {
      if (!this.subscribed) void this.resubscribe();
    });
  }

  static async connect(url: string, onError: (error: Error) => void): Promise<RedisInvalidationBus> {
    const { Redis } = await import('ioredis');
    const options = { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 5_000 };
    const publisher = new Redis(url, options);
    const connectionName = `${CONNECTION_PREFIX}${randomUUID()}`;
    const subscriber = new Redis(url, { ...options, autoResubscribe: false, connectionName });
    let reported = false;
    for (const connection of [publisher, subscriber]) {
      connection.on('error', (error: Error) => {
        if (!reported) onError(error);
        reported = true;
      });
      connection.on('ready', () => (reported = false));
    }
    try {
      await Promise.all([publisher.connect(), subscriber.connect()]);
    } catch (error) {
      publisher.disconnect();
      subscriber.disconnect();
      throw new Error(`session cache: cannot connect to Redis: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const bus = new RedisInvalidationBus(publisher, subscriber);
    await bus.resubscribe();
    return bus;
  }

  /** The subscription's Redis client name (`CLIENT LIST`), for operators and tests. */
  get subscriberName(): string {
    return CONNECTION_PREFIX + this.origin;
  }

  get reliable(): boolean {
    return this.subscribed;
  }

  async publish(invalidation: Invalidation): Promise<void> {
    await this.publisher.publish(
      INVALIDATION_CHANNEL,
      JSON.stringify({ origin: this.origin, ...invalidation }),
    );
  }

  onInvalidation(handler: (invalidation: Received) => void): void {
    this.handlers.push(handler);
  }

  async close(): Promise<void> {
    this.subscribed = false;
    await Promise.all([this.publisher, this.subscriber].map((c) => c.quit().catch(() => c.disconnect())));
  }

  private lost(): void {
    if (this.subscribed) this.missedSome = true;
    this.subscribed = false;
  }

  private async resubscribe(): Promise<void> {
    try {
      await this.subscriber.subscribe(INVALIDATION_CHANNEL);
    } catch {
      return;
    }
    // Whatever was cached before the gap may have been revoked during it.
    if (this.missedSome) for (const handler of this.handlers) handler({ all: true });
    this.missedSome = false;
    this.subscribed = true;
  }
}
