import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService, type LoadedConfig } from '../../libs/config/index.js';
import { HashModule } from '../../libs/hash/index.js';
import { HealthModule } from '../../libs/health/index.js';
import { HttpClientModule } from '../../libs/http-client/index.js';
import { IDENTITY_ENTITIES, IdentityModule } from '../../libs/identity/index.js';
import { type AppLogger, LoggingModule } from '../../libs/logging/index.js';
import { MetricsModule } from '../../libs/metrics/index.js';
import { PersistenceModule } from '../../libs/persistence/index.js';
import { SchemaModule } from '../../libs/schema/index.js';
import { MIGRATIONS } from '../../migrations/index.js';
import { FLOW_ENTITIES, FlowModule } from '../../libs/flow/index.js';
import { COURIER_ENTITIES, CourierModule, courierUsesRedis } from '../../libs/courier/index.js';
import { SESSION_ENTITIES, SessionModule } from '../../libs/session/index.js';
import { WEB_HOOK_OUTBOX_ENTITIES, WebHookOutboxModule } from '../../libs/web-hook-outbox/index.js';
import { ServerOptionsModule } from './server-options.module.js';
import { HooksProvidersModule } from './hooks.providers.js';
import { StrategiesModule } from './strategies.providers.js';

export interface ServerModuleOptions {
  config: LoadedConfig;
  logger: AppLogger;
  /** Apply pending migrations at start (the embedded SQLite default does). */
  migrateOnStart: boolean;
  /** `--watch-courier`: deliver courier messages in this process even with a queue configured. */
  watchCourier?: boolean;
}

/** Composition root of `tessera serve`: every module, one container, both ports. */
@Module({})
export class ServerModule {
  static forRoot(options: ServerModuleOptions): DynamicModule {
    return {
      module: ServerModule,
      imports: [
        ConfigModule.forRoot(options.config),
        LoggingModule.forRoot(options.logger),
        HttpClientModule,
        ServerOptionsModule,
        PersistenceModule.forRoot({
          entities: [
            ...IDENTITY_ENTITIES,
            ...SESSION_ENTITIES,
            ...FLOW_ENTITIES,
            ...COURIER_ENTITIES,
            ...WEB_HOOK_OUTBOX_ENTITIES,
          ],
          migrations: MIGRATIONS,
          migrateOnStart: options.migrateOnStart,
        }),
        HealthModule,
        MetricsModule,
        HashModule,
        SchemaModule,
        IdentityModule,
        SessionModule,
        StrategiesModule,
        HooksProvidersModule,
        FlowModule,
        // Global, so that the flows (recovery, verification, code) reach the Courier port.
        {
          ...CourierModule.forRoot({
            role: 'server',
            watch: options.watchCourier === true,
            redis: courierUsesRedis(new ConfigService(options.config)),
          }),
          global: true,
        },
        // Global, so that the web_hook action reaches the outbox for its ignored calls.
        {
          ...WebHookOutboxModule.forRoot({
            role: 'server',
            watch: options.watchCourier === true,
            redis: courierUsesRedis(new ConfigService(options.config)),
          }),
          global: true,
        },
      ],
    };
  }
}
