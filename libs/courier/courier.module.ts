import {
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type Provider,
} from '@nestjs/common';
import { ConfigService } from '../config/index.js';
import { AppLogger } from '../logging/index.js';
import { CourierChannels } from './courier-channels.js';
import { CourierDelivery } from './courier-delivery.js';
import { DeliveryCounts } from './delivery-counts.js';
import { CourierMessageRepository } from './courier-message.repository.js';
import { CourierTemplates } from './courier-templates.js';
import { CourierAdminController } from './courier.admin.controller.js';
import {
  COURIER_OPTIONS,
  type CourierOptions,
  courierOptionsFrom,
  deliverableTypes,
} from './courier.options.js';
import { CourierPoller } from './courier.poller.js';
import { CourierProcessor } from './courier.processor.js';
import { CourierQueue, QueueTrigger } from './courier.queue.js';
import { Courier } from './courier.port.js';
import { CourierService, CourierTrigger, NoopTrigger } from './courier.service.js';

export interface CourierModuleOptions {
  /** `server`: the admin API and sending; `worker`: `tessera courier watch`, delivery only. */
  role: 'server' | 'worker';
  /** `serve --watch-courier`: deliver in this process even when a queue is configured. */
  watch?: boolean;
  /** False: only queue messages, never deliver (a producer next to a separate worker). */
  deliver?: boolean;
  /** Whether a queue is configured (`courierUsesRedis`); it decides which providers exist. */
  redis: boolean;
  /** Override the options read from config (tests). */
  options?: Partial<CourierOptions>;
}

const COURIER_CONSUMES = Symbol('COURIER_CONSUMES');

/** Whether this configuration puts courier jobs on a BullMQ queue (decides the providers). */
export function courierUsesRedis(config: ConfigService): boolean {
  return courierOptionsFrom(config).redisUrl !== undefined;
}

@Injectable()
class PollerTrigger extends CourierTrigger {
  constructor(private readonly poller: CourierPoller) {
    super();
  }

  async messageQueued(): Promise<void> {
    this.poller.wake();
  }
}

/** Says once, at start, when messages will wait for configuration instead of going out. */
@Injectable()
class CourierStartupReport implements OnApplicationBootstrap {
  constructor(
    @Inject(COURIER_OPTIONS) private readonly options: CourierOptions,
    @Inject(COURIER_CONSUMES) private readonly consumes: boolean,
    private readonly logger: AppLogger,
  ) {}

  onApplicationBootstrap(): void {
    const types = deliverableTypes(this.options);
    if (this.options.redisUrl && !this.consumes) {
      this.logger.info(
        'courier: messages are queued in Redis for `tessera courier watch` (or serve --watch-courier) to send',
      );
    }
    if (this.options.dev && !this.options.smtp && !this.options.emailHttp) {
      this.logger.info('courier: no SMTP configured; --dev logs each email and marks it sent');
    } else if (!types.includes('email')) {
      this.logger.warn(
        'courier: courier.smtp.connection_uri is not set, so emails stay queued until it is (see GET /admin/courier/messages)',
      );
    }
  }
}

/**
 * How messages leave. With Redis: every process enqueues a BullMQ job after commit, and workers
 * (`courier watch`, or `serve --watch-courier`) consume the queue. Without Redis: the process
 * polls the table itself. A producer-only context (`deliver: false`) enqueues or does nothing.
 */
function consumesQueue(options: CourierModuleOptions): boolean {
  return options.deliver !== false && (options.role === 'worker' || options.watch === true);
}

function deliveryProviders(options: CourierModuleOptions, redis: boolean): Provider[] {
  const consumes = consumesQueue(options);
  if (redis) {
    return [
      CourierQueue,
      { provide: CourierTrigger, useClass: QueueTrigger },
      ...(consumes ? [CourierProcessor] : []),
    ];
  }
  if (options.deliver === false) return [{ provide: CourierTrigger, useClass: NoopTrigger }];
  return [CourierPoller, { provide: CourierTrigger, useClass: PollerTrigger }];
}

/** Messages, templates, channels, delivery and the admin courier API. */
@Module({})
export class CourierModule {
  static forRoot(moduleOptions: CourierModuleOptions): DynamicModule {
    const providers: Provider[] = [
      {
        provide: COURIER_OPTIONS,
        inject: [ConfigService],
        useFactory: (config: ConfigService): CourierOptions => ({
          ...courierOptionsFrom(config),
          ...moduleOptions.options,
        }),
      },
      {
        provide: CourierTemplates,
        inject: [COURIER_OPTIONS, ConfigService],
        useFactory: (options: CourierOptions, config: ConfigService) =>
          CourierTemplates.load({
            overridePath: config.get<string>('courier.template_override_path'),
            configured: config.get<Record<string, unknown>>('courier.templates'),
            cwd: options.cwd,
          }),
      },
      {
        provide: CourierChannels,
        inject: [COURIER_OPTIONS],
        useFactory: (options: CourierOptions) => CourierChannels.create(options),
      },
      CourierMessageRepository,
      CourierDelivery,
      DeliveryCounts,
      CourierService,
      CourierStartupReport,
      { provide: COURIER_CONSUMES, useValue: !moduleOptions.redis || consumesQueue(moduleOptions) },
      { provide: Courier, useExisting: CourierService },
      ...deliveryProviders(moduleOptions, moduleOptions.redis),
    ];
    return {
      module: CourierModule,
      controllers: moduleOptions.role === 'server' ? [CourierAdminController] : [],
      providers,
      exports: [Courier, CourierService, CourierMessageRepository, DeliveryCounts],
    };
  }
}
