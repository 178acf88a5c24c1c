import { Injectable } from '@nestjs/common';
import { Clock, Database, newId } from '../persistence/index.js';
import { HeaderSeal } from './header-seal.js';
import { DeliveryStatus, WebHookDeliveryEntity } from './web-hook-delivery.entity.js';
import { WebHookDeliveryRepository } from './web-hook-delivery.repository.js';

/** One ignored web hook call, as the `web_hook` action hands it over (structurally its WebHookCall). */
export interface OutboxCall {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  hookId?: string;
}

/** What happens once a call is committed: wake the poller, or put a job on the queue. */
export abstract class OutboxTrigger {
  abstract queued(id: string): Promise<void>;
}

/** Nothing to wake: the process that delivers is elsewhere and polls the table. */
export class NoopOutboxTrigger extends OutboxTrigger {
  async queued(): Promise<void> {}
}

/**
 * Durable background web hooks. `enqueue` writes the call in the caller's (the flow's)
 * transaction, so a rolled-back flow leaves nothing and a committed one cannot lose its call;
 * delivery is only signalled after the commit.
 */
@Injectable()
export class WebHookOutbox {
  constructor(
    private readonly db: Database,
    private readonly deliveries: WebHookDeliveryRepository,
    private readonly seal: HeaderSeal,
    private readonly trigger: OutboxTrigger,
    private readonly clock: Clock,
  ) {}

  async enqueue(call: OutboxCall): Promise<void> {
    const now = this.clock.now();
    const id = newId(now.getTime());
    const row = Object.assign(new WebHookDeliveryEntity(), {
      id,
      url: call.url,
      method: call.method.toUpperCase(),
      headers: this.seal.seal(id, call.headers),
      body: call.body ?? null,
      timeoutMs: call.timeoutMs,
      hookId: call.hookId ?? null,
      status: DeliveryStatus.queued,
      attempts: 0,
      nextAttemptAt: null,
      lastError: null,
      claimToken: null,
      claimedAt: null,
      createdAt: now,
      updatedAt: now,
    });
    await this.db.transaction(async () => {
      await this.deliveries.insert(row);
      await this.db.afterCommit(() => this.trigger.queued(id));
    });
  }
}
