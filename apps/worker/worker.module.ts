import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService, type LoadedConfig } from '../../libs/config/index.js';
import { COURIER_ENTITIES, CourierModule, courierUsesRedis } from '../../libs/courier/index.js';
import { HttpClientModule } from '../../libs/http-client/index.js';
import { type AppLogger, LoggingModule } from '../../libs/logging/index.js';
import { PersistenceModule } from '../../libs/persistence/index.js';
import { WEB_HOOK_OUTBOX_ENTITIES, WebHookOutboxModule } from '../../libs/web-hook-outbox/index.js';
import { MIGRATIONS } from '../../migrations/index.js';

/** Composition root of `tessera courier watch`: no HTTP, only what sending messages and ignored web hooks needs. */
@Module({})
export class WorkerModule {
  static forRoot(config: LoadedConfig, logger: AppLogger): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(logger),
        HttpClientModule,
        PersistenceModule.forRoot({
          entities: [...COURIER_ENTITIES, ...WEB_HOOK_OUTBOX_ENTITIES],
          migrations: MIGRATIONS,
          migrateOnStart: false,
        }),
        CourierModule.forRoot({ role: 'worker', redis: courierUsesRedis(new ConfigService(config)) }),
        WebHookOutboxModule.forRoot({ role: 'worker', redis: courierUsesRedis(new ConfigService(config)) }),
      ],
    };
  }
}
