import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { AppLogger } from '../logging/index.js';
import { COURIER_OPTIONS, type CourierOptions, backoffAfter, maxAttempts } from './courier.options.js';
import { CourierTrigger } from './courier.service.js';
import { IdJobQueue, withTimeout } from './id-job-queue.js';

export { bullmq, workerConnection } from './id-job-queue.js';

export const COURIER_QUEUE = 'courier';

export interface CourierJob {
  messageId: string;
}

/**
 * The BullMQ queue `courier`. A job carries only the message id and has it as its job id, so
 * adding the same message twice collapses into one job; the row in the database stays the truth.
 */
@Injectable()
export class CourierQueue implements OnModuleInit, OnApplicationShutdown {
  private readonly queue: IdJobQueue<CourierJob>;

  constructor(@Inject(COURIER_OPTIONS) options: CourierOptions, logger: AppLogger) {
    this.queue = new IdJobQueue<CourierJob>(
      {
        name: COURIER_QUEUE,
        label: 'courier',
        redisUrl: options.redisUrl!,
        prefix: options.queuePrefix,
        attempts: maxAttempts(options),
        backoffMs: backoffAfter(options, 1),
      },
      (messageId) => ({ messageId }),
      logger,
    );
  }

  onModuleInit(): Promise<void> {
    return this.queue.open();
  }

  add(messageId: string): Promise<void> {
    return this.queue.add(messageId);
  }

  onApplicationShutdown(): Promise<void> {
    return this.queue.close();
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
