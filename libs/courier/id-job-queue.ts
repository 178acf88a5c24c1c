import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { AppLogger } from '../logging/index.js';

/** bullmq and ioredis load only where a queue is configured, not in the embedded default. */
export const bullmq = () => import('bullmq');

/** Connection for a producer: fail fast while Redis is away, the sweeper re-enqueues later. */
async function producerConnection(url: string): Promise<Redis> {
  const { Redis } = await import('ioredis');
  return new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 5_000 });
}

/** Connection for a BullMQ worker, which blocks on Redis and must retry for ever. */
export async function workerConnection(url: string): Promise<Redis> {
  const { Redis } = await import('ioredis');
  return new Redis(url, { maxRetriesPerRequest: null, connectTimeout: 5_000 });
}

export interface IdJobQueueSettings {
  /** The BullMQ queue name (`courier`, `web-hooks`). */
  name: string;
  /** What the log lines name. */
  label: string;
  redisUrl: string;
  prefix: string;
  attempts: number;
  /** First retry delay; BullMQ doubles it per failed attempt. */
  backoffMs: number;
}

/**
 * A BullMQ queue whose jobs each name one database row and have its id as their job id, so adding
 * the same row twice collapses into one job; the row stays the truth. Shared by the courier and
 * the web hook outbox.
 */
export class IdJobQueue<T extends object> {
  private queue!: Queue<T>;
  private connection!: Redis;
  private reported = false;

  constructor(
    private readonly settings: IdJobQueueSettings,
    private readonly data: (id: string) => T,
    private readonly logger: AppLogger,
  ) {}

  async open(): Promise<void> {
    const { Queue } = await bullmq();
    this.connection = await producerConnection(this.settings.redisUrl);
    this.connection.on('error', (error: Error) => {
      if (!this.reported)
        this.logger.warn(`${this.settings.label}: Redis is unreachable`, { error: error.message });
      this.reported = true;
    });
    this.connection.on('ready', () => (this.reported = false));
    this.queue = new Queue<T>(this.settings.name, {
      connection: this.connection,
      prefix: this.settings.prefix,
    });
    this.queue.on('error', () => undefined);
  }

  async add(id: string): Promise<void> {
    // BullMQ's generic job-name typing cannot follow a generic payload.
    await (this.queue as Queue).add('send', this.data(id), {
      jobId: id,
      attempts: this.settings.attempts,
      backoff: { type: 'exponential', delay: this.settings.backoffMs },
      removeOnComplete: true,
      removeOnFail: true,
    });
  }

  async close(): Promise<void> {
    await this.queue?.close().catch(() => undefined);
    this.connection?.disconnect();
  }
}

export function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
