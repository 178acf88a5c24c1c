import type { Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { AppLogger } from '../logging/index.js';
import { bullmq, workerConnection } from './id-job-queue.js';

export interface IdJobWorkerSettings {
  name: string;
  label: string;
  redisUrl: string;
  prefix: string;
  concurrency: number;
  /** The claim timeout: BullMQ's lock and stalled check follow it (bounded to 1–30 s). */
  claimTimeoutMs: number;
  sweepEveryMs: number;
}

export interface IdJobHandlers<T> {
  /** Claims the row the job names and delivers it; throws to have BullMQ retry with backoff. */
  process(job: Job<T>): Promise<void>;
  /** Adds a job for every row that should be moving and may have none; returns how many. */
  sweep(): Promise<number>;
}

/**
 * The consuming side of an `IdJobQueue`: a BullMQ worker plus a sweeper that re-enqueues rows no
 * job carries (queued while Redis was down, or stuck in processing because their worker died).
 */
export class IdJobWorker<T extends object> {
  private worker: Worker<T> | undefined;
  private connection: Redis | undefined;
  private sweeping: NodeJS.Timeout | undefined;
  private sweep: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly settings: IdJobWorkerSettings,
    private readonly handlers: IdJobHandlers<T>,
    private readonly logger: AppLogger,
  ) {}

  async start(): Promise<void> {
    const { label } = this.settings;
    const lock = Math.max(1_000, Math.min(this.settings.claimTimeoutMs, 30_000));
    const { Worker } = await bullmq();
    this.connection = await workerConnection(this.settings.redisUrl);
    this.connection.on('error', () => undefined);
    this.worker = new Worker<T>(this.settings.name, (job) => this.handlers.process(job), {
      connection: this.connection,
      prefix: this.settings.prefix,
      concurrency: this.settings.concurrency,
      lockDuration: lock,
      stalledInterval: lock,
    });
    this.worker.on('error', (error) =>
      this.logger.warn(`${label}: queue worker error`, { error: error.message }),
    );
    this.sweeping = setInterval(() => {
      this.sweep = this.sweep.then(() => this.sweepOnce());
    }, this.settings.sweepEveryMs);
    this.sweep = this.sweepOnce();
    this.logger.info(`${label}: BullMQ worker started`, {
      queue: this.settings.name,
      concurrency: this.settings.concurrency,
    });
  }

  private async sweepOnce(): Promise<number> {
    try {
      return await this.handlers.sweep();
    } catch (error) {
      this.logger.debug(`${this.settings.label}: sweep failed`, { error: (error as Error).message });
      return 0;
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.sweeping);
    await this.sweep;
    await this.worker?.close();
    this.connection?.disconnect();
  }
}
