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

/**
 * Delivery without Redis, on the courier's polling loop: claims due calls every `pull_wait` (at
 * once after a commit in this process), `pull_count` at a time, and sends them. A row left in
 * `processing` by a dead process is claimed again once its claim is older than `claim_timeout`.
 */
@Injectable()
export class WebHookPoller implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loop: PollingLoop;

  constructor(
    @Inject(WEB_HOOK_OUTBOX_OPTIONS) private readonly options: WebHookOutboxOptions,
    private readonly deliveries: WebHookDeliveryRepository,
    private readonly sender: WebHookSender,
    private readonly clock: Clock,
    logger: AppLogger,
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

  /** Claims and sends one batch; returns how many were claimed. */
  async pollOnce(): Promise<number> {
    const now = this.clock.now();
    const batch = await this.deliveries.claimDue(this.options.pullCount, {
      now,
      staleBefore: new Date(now.getTime() - this.options.claimTimeoutMs),
    });
    await Promise.all(batch.map((row) => this.sender.deliver(row)));
    return batch.length;
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.loop.stop();
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
