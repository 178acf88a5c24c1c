import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { AppLogger } from '../logging/index.js';
import { Clock } from '../persistence/index.js';
import { CourierDelivery } from './courier-delivery.js';
import { CourierMessageRepository } from './courier-message.repository.js';
import { COURIER_OPTIONS, type CourierOptions, deliverableTypes } from './courier.options.js';
import { bullmq, COURIER_QUEUE, type CourierJob, CourierQueue, workerConnection } from './courier.queue.js';

/** A row committed this recently most likely has its job; the sweeper looks at older ones. */
const SWEEP_GRACE_MS = 3_000;

/** Thrown to hand a failed attempt back to BullMQ, which retries it with exponential backoff. */
class RetryLater extends Error {}

/**
 * The BullMQ consumer (`tessera courier watch`, or `serve --watch-courier`). A job only names a
 * message: the worker claims the row (queued → processing) before sending, so a job delivered
 * twice sends once. The sweeper re-enqueues rows that no job carries: queued while Redis was
 * down, or stuck in `processing` because their worker died.
 */
@Injectable()
export class CourierProcessor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private worker: Worker<CourierJob> | undefined;
  private connection: Redis | undefined;
  private sweeping: NodeJS.Timeout | undefined;
  private sweep: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(COURIER_OPTIONS) private readonly options: CourierOptions,
    private readonly queue: CourierQueue,
    private readonly messages: CourierMessageRepository,
    private readonly delivery: CourierDelivery,
    private readonly clock: Clock,
    private readonly logger: AppLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const lock = Math.max(1_000, Math.min(this.options.claimTimeoutMs, 30_000));
    const { Worker } = await bullmq();
    this.connection = await workerConnection(this.options.redisUrl!);
    this.connection.on('error', () => undefined);
    this.worker = new Worker<CourierJob>(COURIER_QUEUE, (job) => this.process(job), {
      connection: this.connection,
      prefix: this.options.queuePrefix,
      concurrency: this.options.pullCount,
      lockDuration: lock,
      stalledInterval: lock,
    });
    this.worker.on('error', (error) =>
      this.logger.warn('courier: queue worker error', { error: error.message }),
    );
    this.sweeping = setInterval(() => {
      this.sweep = this.sweep.then(() => this.sweepOnce());
    }, this.options.pullWaitMs);
    this.sweep = this.sweepOnce();
    this.logger.info('courier: BullMQ worker started', {
      queue: COURIER_QUEUE,
      concurrency: this.options.pullCount,
    });
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
    try {
      const now = this.clock.now();
      const ids = await this.messages.idsNeedingDelivery(this.options.pullCount * 10, {
        now,
        staleBefore: new Date(now.getTime() - this.options.claimTimeoutMs),
        queuedBefore: new Date(now.getTime() - SWEEP_GRACE_MS),
        types,
      });
      for (const id of ids) await this.queue.add(id);
      return ids.length;
    } catch (error) {
      this.logger.debug('courier: sweep failed', { error: (error as Error).message });
      return 0;
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.sweeping);
    await this.sweep;
    await this.worker?.close();
    this.connection?.disconnect();
  }
}
