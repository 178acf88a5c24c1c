import { Inject, Injectable, Optional } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import { CourierMessageRepository, DeliveryCounts, type MessageStatus } from '../courier/index.js';
import { AppLogger } from '../logging/index.js';
import { Clock } from '../persistence/index.js';

/** How long one count of the courier table serves scrapes: several Prometheus servers, one query. */
export const QUEUE_DEPTH_CACHE_MS = 5_000;

/**
 * The courier's queue depth (one grouped count of courier_messages, at most every few seconds and
 * only when scraped) and its sends and failures by channel (counted in memory by the delivery).
 */
@Injectable()
export class CourierCollector {
  private cached?: { at: number; counts: Promise<Record<MessageStatus, number> | null> };

  constructor(
    @Inject(Registry) registry: Registry,
    private readonly clock: Clock,
    private readonly logger: AppLogger,
    @Optional() private readonly messages?: CourierMessageRepository,
    @Optional() deliveries?: DeliveryCounts,
  ) {
    const registers = [registry];
    if (messages) {
      const depth = (): Promise<Record<MessageStatus, number> | null> => this.queueDepth();
      new Gauge({
        name: 'tessera_courier_messages',
        help: 'Courier messages stored, by status (queued, processing, sent, abandoned).',
        labelNames: ['status'],
        registers,
        async collect() {
          const counts = await depth();
          this.reset();
          for (const [status, count] of Object.entries(counts ?? {})) this.set({ status }, count);
        },
      });
    }
    if (!deliveries) return;
    const deliveryCounter = (name: string, help: string, pick: 'sent' | 'failed') =>
      new Counter({
        name,
        help,
        labelNames: ['channel'],
        registers,
        collect() {
          this.reset();
          for (const [channel, counts] of deliveries.snapshot()) this.inc({ channel }, counts[pick]);
        },
      });
    deliveryCounter('tessera_courier_sends_total', 'Courier messages handed to their channel.', 'sent');
    deliveryCounter('tessera_courier_send_failures_total', 'Courier send attempts that failed.', 'failed');
  }

  /** The cached count, refreshed once it is older than QUEUE_DEPTH_CACHE_MS; null when the read failed. */
  private queueDepth(): Promise<Record<MessageStatus, number> | null> {
    const now = this.clock.now().getTime();
    if (this.cached && now - this.cached.at < QUEUE_DEPTH_CACHE_MS) return this.cached.counts;
    const counts = this.messages!.countByStatus().catch((error: unknown) => {
      this.logger.warn('metrics: courier queue depth not read', { error: (error as Error).message });
      return null;
    });
    this.cached = { at: now, counts };
    return counts;
  }
}
