import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { Job } from 'bullmq';
import { IdJobQueue, IdJobWorker, RetryLater, SWEEP_GRACE_MS, withTimeout } from '../courier/index.js';
import { AppLogger } from '../logging/index.js';
import { Clock } from '../persistence/index.js';
import { WebHookDeliveryRepository } from './web-hook-delivery.repository.js';
import { retryDelay, WEB_HOOK_OUTBOX_OPTIONS, type WebHookOutboxOptions } from './web-hook-outbox.options.js';
import { IN_FLIGHT_BATCHES } from './web-hook-outbox.poller.js';
import { OutboxTrigger } from './web-hook-outbox.service.js';
import { WebHookSender } from './web-hook-sender.js';

export const WEB_HOOK_QUEUE = 'web-hooks';

export interface WebHookJob {
  deliveryId: string;
}

/** The BullMQ queue `web-hooks`, beside the courier's: one job per row, the row id as job id. */
@Injectable()
export class WebHookQueue implements OnModuleInit, OnApplicationShutdown {
  private readonly queue: IdJobQueue<WebHookJob>;

  constructor(@Inject(WEB_HOOK_OUTBOX_OPTIONS) options: WebHookOutboxOptions, logger: AppLogger) {
    this.queue = new IdJobQueue<WebHookJob>(
      {
        name: WEB_HOOK_QUEUE,
        label: 'web hooks',
        redisUrl: options.redisUrl!,
        prefix: options.queuePrefix,
        attempts: options.maxAttempts,
        backoffMs: retryDelay(options, 1),
      },
      (deliveryId) => ({ deliveryId }),
      logger,
    );
  }

  onModuleInit(): Promise<void> {
    return this.queue.open();
  }

  add(id: string): Promise<void> {
    return this.queue.add(id);
  }

  onApplicationShutdown(): Promise<void> {
    return this.queue.close();
  }
}

/** After commit: one job per call. Redis being away loses nothing, the sweeper adds it later. */
@Injectable()
export class QueueOutboxTrigger extends OutboxTrigger {
  constructor(
    private readonly queue: WebHookQueue,
    private readonly logger: AppLogger,
  ) {
    super();
  }

  async queued(id: string): Promise<void> {
    try {
      await withTimeout(this.queue.add(id), 2_000);
    } catch (error) {
      this.logger.warn('web hooks: could not enqueue the call; the worker sweeper will', {
        web_hook_delivery_id: id,
        error: (error as Error).message,
      });
    }
  }
}

/**
 * The BullMQ consumer (`courier watch`, or `serve --watch-courier`): claims the row a job names
 * before sending, so a job delivered twice sends once; the sweeper re-enqueues rows no job
 * carries (queued while Redis was down, or left in processing by a dead worker).
 */
@Injectable()
export class WebHookProcessor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly worker: IdJobWorker<WebHookJob>;

  constructor(
    @Inject(WEB_HOOK_OUTBOX_OPTIONS) private readonly options: WebHookOutboxOptions,
    private readonly queue: WebHookQueue,
    private readonly deliveries: WebHookDeliveryRepository,
    private readonly sender: WebHookSender,
    private readonly clock: Clock,
    logger: AppLogger,
  ) {
    this.worker = new IdJobWorker<WebHookJob>(
      {
        name: WEB_HOOK_QUEUE,
        label: 'web hooks',
        redisUrl: options.redisUrl!,
        prefix: options.queuePrefix,
        // As the poller: up to ten batches on the wire, so slow receivers do not starve the rest.
        concurrency: options.pullCount * IN_FLIGHT_BATCHES,
        claimTimeoutMs: options.claimTimeoutMs,
        sweepEveryMs: options.pullWaitMs,
      },
      { process: (job) => this.process(job), sweep: () => this.sweepOnce() },
      logger,
    );
  }

  onApplicationBootstrap(): Promise<void> {
    return this.worker.start();
  }

  async process(job: Job<WebHookJob>): Promise<void> {
    const now = this.clock.now();
    const row = await this.deliveries.claimById(job.data.deliveryId, {
      now,
      staleBefore: new Date(now.getTime() - this.options.claimTimeoutMs),
      ignoreSchedule: true,
    });
    // Sent, abandoned, or being sent by a live worker: nothing to do for this job.
    if (!row) return;
    if ((await this.sender.deliver(row)) === 'retry')
      throw new RetryLater(`web hook ${row.id} will be retried`);
  }

  async sweepOnce(): Promise<number> {
    const now = this.clock.now();
    const ids = await this.deliveries.idsNeedingDelivery(this.options.pullCount * 10, {
      now,
      staleBefore: new Date(now.getTime() - this.options.claimTimeoutMs),
      queuedBefore: new Date(now.getTime() - SWEEP_GRACE_MS),
    });
    for (const id of ids) await this.queue.add(id);
    return ids.length;
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.worker.stop();
  }
}
