import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource, type MixedList } from 'typeorm';
import { ConfigService } from '../config/index.js';
import { Clock } from './clock.js';
import { Database } from './database.js';
import { dataSourceOptionsFromDsn } from './dsn.js';

export interface PersistenceOptions {
  // TypeORM's own option types: entity classes and migration classes.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function>;
  /** Apply pending migrations when the process starts (the embedded default does). */
  migrateOnStart: boolean;
}

export const MIGRATIONS_TABLE = 'tessera_migrations';

export function createDataSource(
  dsn: string,
  options: Omit<PersistenceOptions, 'migrateOnStart'>,
): DataSource {
  return new DataSource({
    ...dataSourceOptionsFromDsn(dsn),
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: MIGRATIONS_TABLE,
    synchronize: false,
    logging: false,
  } as ConstructorParameters<typeof DataSource>[0]);
}

@Global()
@Module({})
export class PersistenceModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  static forRoot(options: PersistenceOptions): DynamicModule {
    return {
      module: PersistenceModule,
      providers: [
        Clock,
        {
          provide: DataSource,
          inject: [ConfigService],
          useFactory: async (config: ConfigService) => {
            const dataSource = createDataSource(config.dsn, options);
            await dataSource.initialize();
            if (options.migrateOnStart) await dataSource.runMigrations({ transaction: 'each' });
            return dataSource;
          },
        },
        {
          provide: Database,
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => new Database(dataSource),
        },
      ],
      exports: [DataSource, Database, Clock],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
