import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Job } from 'bullmq';
import { AppLogger } from '../logging/index.js';
import { Clock } from '../persistence/index.js';
import { CourierDelivery } from './courier-delivery.js';
import { CourierMessageRepository } from './courier-message.repository.js';
import { COURIER_OPTIONS, type CourierOptions, deliverableTypes } from './courier.options.js';
import { COURIER_QUEUE, type CourierJob, CourierQueue } from './courier.queue.js';
import { IdJobWorker } from './id-job-worker.js';

/** A row committed this recently most likely has its job; the sweeper looks at older ones. */
export const SWEEP_GRACE_MS = 3_000;

/** Thrown to hand a failed attempt back to BullMQ, which retries it with exponential backoff. */
export class RetryLater extends Error {}

/**
 * The BullMQ consumer (`tessera courier watch`, or `serve --watch-courier`). A job only names a
 * message: the worker claims the row (queued → processing) before sending, so a job delivered
 * twice sends once. The sweeper re-enqueues rows that no job carries: queued while Redis was
 * down, or stuck in `processing` because their worker died.
 */
@Injectable()
export class CourierProcessor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly worker: IdJobWorker<CourierJob>;

  constructor(
    @Inject(COURIER_OPTIONS) private readonly options: CourierOptions,
    private readonly queue: CourierQueue,
    private readonly messages: CourierMessageRepository,
    private readonly delivery: CourierDelivery,
    private readonly clock: Clock,
    logger: AppLogger,
  ) {
    this.worker = new IdJobWorker<CourierJob>(
      {
        name: COURIER_QUEUE,
        label: 'courier',
        redisUrl: options.redisUrl!,
        prefix: options.queuePrefix,
        concurrency: options.pullCount,
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

  async process(job: Job<CourierJob>): Promise<void> {
    const now = this.clock.now();
    const message = await this.messages.claimById(job.data.messageId, {
      now,
      staleBefore: new Date(now.getTime() - this.options.claimTimeoutMs),
      types: deliverableTypes(this.options),
      ignoreSchedule: true,
    });
    // Sent, abandoned, or being sent by a live worker: nothing to do for this job.
    if (!message) return;
    const outcome = await this.delivery.deliver(message);
    if (outcome === 'retry') throw new RetryLater(`message ${message.id} will be retried`);
  }

  /** Adds a job for every row that should be moving and may have none; duplicates collapse. */
  async sweepOnce(): Promise<number> {
    const types = deliverableTypes(this.options);
    if (types.length === 0) return 0;
    const now = this.clock.now();
    const ids = await this.messages.idsNeedingDelivery(this.options.pullCount * 10, {
      now,
      staleBefore: new Date(now.getTime() - this.options.claimTimeoutMs),
      queuedBefore: new Date(now.getTime() - SWEEP_GRACE_MS),
      types,
    });
    for (const id of ids) await this.queue.add(id);
    return ids.length;
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.worker.stop();
  }
}
