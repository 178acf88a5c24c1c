import { Injectable } from '@nestjs/common';

export interface ChannelDeliveries {
  sent: number;
  failed: number;
}

/**
 * Send attempts by channel since start, for operators' counters. Kept in memory and read on scrape,
 * so counting costs an addition per message. Channels are the configured ones (`email`, `sms`, or
 * a `courier.channels` id), never anything a client chose.
 */
@Injectable()
export class DeliveryCounts {
  private readonly byChannel = new Map<string, ChannelDeliveries>();

  sent(channel: string): void {
    this.of(channel).sent += 1;
  }

  failed(channel: string): void {
    this.of(channel).failed += 1;
  }

  snapshot(): ReadonlyMap<string, Readonly<ChannelDeliveries>> {
    return new Map([...this.byChannel].map(([channel, counts]) => [channel, { ...counts }]));
  }

  private of(channel: string): ChannelDeliveries {
    let counts = this.byChannel.get(channel);
    if (!counts) this.byChannel.set(channel, (counts = { sent: 0, failed: 0 }));
    return counts;
  }
}
