import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { PollingLoop } from '../courier/index.js';
import { AppLogger } from '../logging/index.js';
import { Clock } from '../persistence/index.js';
import { WebHookDeliveryRepository } from './web-hook-delivery.repository.js';
import { WEB_HOOK_OUTBOX_OPTIONS, type WebHookOutboxOptions } from './web-hook-outbox.options.js';
import { OutboxTrigger } from './web-hook-outbox.service.js';
import { WebHookSender } from './web-hook-sender.js';

/** Calls on the wire at once, in `pull_count` batches: one slow receiver never holds up the rest. */
export const IN_FLIGHT_BATCHES = 10;

/**
 * Delivery without Redis, on the courier's polling loop: claims due calls every `pull_wait` (at
 * once after a commit in this process), `pull_count` at a time, and sends them without waiting
 * for the batch to finish, up to IN_FLIGHT_BATCHES batches on the wire. A row left in
 * `processing` by a dead process is claimed again once its claim is older than `claim_timeout`.
 */
@Injectable()
export class WebHookPoller implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loop: PollingLoop;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    @Inject(WEB_HOOK_OUTBOX_OPTIONS) private readonly options: WebHookOutboxOptions,
    private readonly deliveries: WebHookDeliveryRepository,
    private readonly sender: WebHookSender,
    private readonly clock: Clock,
    private readonly logger: AppLogger,
  ) {
    this.loop = new PollingLoop(
      { label: 'web hooks', batchSize: options.pullCount, waitMs: options.pullWaitMs },
      () => this.pollOnce(),
      logger,
    );
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  wake(): void {
    this.loop.wake();
  }

  /**
   * Claims one batch and puts it on the wire; returns how many were claimed, or the full batch
   * size when more may be due (the window is full, or the claim took all it could).
   */
  async pollOnce(): Promise<number> {
    const { pullCount } = this.options;
    const free = pullCount * IN_FLIGHT_BATCHES - this.inFlight.size;
    if (free <= 0) {
      await Promise.race(this.inFlight);
      return pullCount;
    }
    const wanted = Math.min(free, pullCount);
    const now = this.clock.now();
    const batch = await this.deliveries.claimDue(wanted, {
      now,
      staleBefore: new Date(now.getTime() - this.options.claimTimeoutMs),
    });
    for (const row of batch) {
      const sending: Promise<unknown> = this.sender
        .deliver(row)
        .catch((error: unknown) =>
          this.logger.error('web hooks: recording an attempt failed', { err: error }),
        )
        .finally(() => this.inFlight.delete(sending));
      this.inFlight.add(sending);
    }
    return batch.length === wanted ? pullCount : batch.length;
  }

  /** Waits for every call on the wire, so each records its outcome before the process ends. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
    await this.drain();
  }
}

@Injectable()
export class PollerOutboxTrigger extends OutboxTrigger {
  constructor(private readonly poller: WebHookPoller) {
    super();
  }

  async queued(): Promise<void> {
    this.poller.wake();
  }
}
