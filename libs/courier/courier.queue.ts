import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { AppLogger } from '../logging/index.js';
import { COURIER_OPTIONS, type CourierOptions, backoffAfter, maxAttempts } from './courier.options.js';
import { CourierTrigger } from './courier.service.js';

export const COURIER_QUEUE = 'courier';

export interface CourierJob {
  messageId: string;
}

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

/**
 * The BullMQ queue `courier`. A job carries only the message id and has it as its job id, so
 * adding the same message twice collapses into one job; the row in the database stays the truth.
 */
@Injectable()
export class CourierQueue implements OnModuleInit, OnApplicationShutdown {
  private queue!: Queue<CourierJob>;
  private connection!: Redis;
  private reported = false;

  constructor(
    @Inject(COURIER_OPTIONS) private readonly options: CourierOptions,
    private readonly logger: AppLogger,
  ) {}

  async onModuleInit(): Promise<void> {
    const { Queue } = await bullmq();
    this.connection = await producerConnection(this.options.redisUrl!);
    this.connection.on('error', (error: Error) => {
      if (!this.reported) this.logger.warn('courier: Redis is unreachable', { error: error.message });
      this.reported = true;
    });
    this.connection.on('ready', () => (this.reported = false));
    this.queue = new Queue<CourierJob>(COURIER_QUEUE, {
      connection: this.connection,
      prefix: this.options.queuePrefix,
    });
    this.queue.on('error', () => undefined);
  }

  async add(messageId: string): Promise<void> {
    await this.queue.add(
      'send',
      { messageId },
      {
        jobId: messageId,
        attempts: maxAttempts(this.options),
        backoff: { type: 'exponential', delay: backoffAfter(this.options, 1) },
        removeOnComplete: true,
        removeOnFail: true,
      },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue?.close().catch(() => undefined);
    this.connection?.disconnect();
  }
}

/** After commit: one job per message. Redis being away loses nothing, the sweeper adds it later. */
@Injectable()
export class QueueTrigger extends CourierTrigger {
  constructor(
    private readonly queue: CourierQueue,
    private readonly logger: AppLogger,
  ) {
    super();
  }

  async messageQueued(id: string): Promise<void> {
    try {
      await withTimeout(this.queue.add(id), 2_000);
    } catch (error) {
      this.logger.warn('courier: could not enqueue the message; the worker sweeper will', {
        message_id: id,
        error: (error as Error).message,
      });
    }
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
