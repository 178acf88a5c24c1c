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

/**
 * Delivery without Redis: claims due rows from the database every `pull_wait` (or at once when a
 * message was just committed in this process), `pull_count` at a time, and sends them. Several
 * processes may poll one database: a claim is a conditional UPDATE, so each row is sent once.
 */
@Injectable()
export class CourierPoller implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private pendingWake = false;

  constructor(
    @Inject(COURIER_OPTIONS) private readonly options: CourierOptions,
    private readonly messages: CourierMessageRepository,
    private readonly delivery: CourierDelivery,
    private readonly clock: Clock,
    private readonly logger: AppLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
    this.logger.debug('courier: database poller started', { pull_wait_ms: this.options.pullWaitMs });
  }

  wake(): void {
    this.pendingWake = true;
    this.wakeUp?.();
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

  private async run(): Promise<void> {
    while (this.running) {
      this.pendingWake = false;
      let claimed = 0;
      try {
        if (deliverableTypes(this.options).length > 0) claimed = await this.pollOnce();
      } catch (error) {
        if (!this.running) break;
        this.logger.error('courier: polling failed', { err: error });
      }
      if (claimed === this.options.pullCount || this.pendingWake) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.pullWaitMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = undefined;
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
  }
}
