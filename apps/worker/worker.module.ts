import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, type LoadedConfig } from '../../libs/config/index.js';
import { type AppLogger, LoggingModule } from '../../libs/logging/index.js';
import { PersistenceModule } from '../../libs/persistence/index.js';
import { MIGRATIONS } from '../../migrations/index.js';

/**
 * Composition root of `tessera courier watch`: no HTTP, only what sending messages needs.
 * The courier module joins it when the courier lands.
 */
@Module({})
export class WorkerModule {
  static forRoot(config: LoadedConfig, logger: AppLogger): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(logger),
        PersistenceModule.forRoot({ entities: [], migrations: MIGRATIONS, migrateOnStart: false }),
      ],
    };
  }
}
