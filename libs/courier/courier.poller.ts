import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { AppLogger } from '../logging/index.js';
import { Clock } from '../persistence/index.js';
import { CourierDelivery } from './courier-delivery.js';
import { CourierMessageRepository } from './courier-message.repository.js';
import { COURIER_OPTIONS, type CourierOptions, deliverableTypes } from './courier.options.js';
import { PollingLoop } from './polling-loop.js';

/**
 * Delivery without Redis: claims due rows from the database every `pull_wait` (or at once when a
 * message was just committed in this process), `pull_count` at a time, and sends them. Several
 * processes may poll one database: a claim is a conditional UPDATE, so each row is sent once.
 */
@Injectable()
export class CourierPoller implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loop: PollingLoop;

  constructor(
    @Inject(COURIER_OPTIONS) private readonly options: CourierOptions,
    private readonly messages: CourierMessageRepository,
    private readonly delivery: CourierDelivery,
    private readonly clock: Clock,
    logger: AppLogger,
  ) {
    this.loop = new PollingLoop(
      { label: 'courier', batchSize: options.pullCount, waitMs: options.pullWaitMs },
      () => (deliverableTypes(this.options).length > 0 ? this.pollOnce() : Promise.resolve(0)),
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
    const batch = await this.messages.claimDue(this.options.pullCount, {
      now,
      staleBefore: new Date(now.getTime() - this.options.claimTimeoutMs),
      types: deliverableTypes(this.options),
    });
    await Promise.all(batch.map((message) => this.delivery.deliver(message)));
    return batch.length;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }
}
