import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { ConfigService } from '../config/index.js';
import { HeaderSeal } from './header-seal.js';
import { WebHookDeliveryCounts } from './web-hook-delivery-counts.js';
import { WebHookDeliveryRepository } from './web-hook-delivery.repository.js';
import {
  WEB_HOOK_OUTBOX_OPTIONS,
  type WebHookOutboxOptions,
  webHookOutboxOptionsFrom,
} from './web-hook-outbox.options.js';
import { PollerOutboxTrigger, WebHookPoller } from './web-hook-outbox.poller.js';
import { QueueOutboxTrigger, WebHookProcessor, WebHookQueue } from './web-hook-outbox.queue.js';
import { NoopOutboxTrigger, OutboxTrigger, WebHookOutbox } from './web-hook-outbox.service.js';
import { WebHookSender } from './web-hook-sender.js';

export interface WebHookOutboxModuleOptions {
  /** `server`: `tessera serve`; `worker`: `tessera courier watch`. */
  role: 'server' | 'worker';
  /** `serve --watch-courier`: consume the queue in this process too. */
  watch?: boolean;
  /** False: only write and enqueue calls, never deliver (a producer next to a worker). */
  deliver?: boolean;
  /** Whether a queue is configured (`courierUsesRedis`): the same switch as the courier's. */
  redis: boolean;
  /** Override the options read from config (tests, benches). */
  options?: Partial<WebHookOutboxOptions>;
}

/** The same split as the courier's: who consumes the queue, and who polls without one. */
function deliveryProviders(options: WebHookOutboxModuleOptions): Provider[] {
  const consumes = options.deliver !== false && (options.role === 'worker' || options.watch === true);
  if (options.redis) {
    return [
      WebHookQueue,
      { provide: OutboxTrigger, useClass: QueueOutboxTrigger },
      ...(consumes ? [WebHookProcessor] : []),
    ];
  }
  if (options.deliver === false) return [{ provide: OutboxTrigger, useClass: NoopOutboxTrigger }];
  return [WebHookPoller, { provide: OutboxTrigger, useClass: PollerOutboxTrigger }];
}

/** Durable delivery of ignored web hooks: the outbox table, the poller or the BullMQ queue. */
@Module({})
export class WebHookOutboxModule {
  static forRoot(moduleOptions: WebHookOutboxModuleOptions): DynamicModule {
    return {
      module: WebHookOutboxModule,
      providers: [
        {
          provide: WEB_HOOK_OUTBOX_OPTIONS,
          inject: [ConfigService],
          useFactory: (config: ConfigService): WebHookOutboxOptions => ({
            ...webHookOutboxOptionsFrom(config),
            ...moduleOptions.options,
          }),
        },
        HeaderSeal,
        WebHookDeliveryRepository,
        WebHookDeliveryCounts,
        WebHookSender,
        WebHookOutbox,
        ...deliveryProviders(moduleOptions),
      ],
      exports: [WebHookOutbox, WebHookDeliveryRepository, WebHookDeliveryCounts],
    };
  }
}
