import { Writable } from 'node:stream';
import { type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigModule, ConfigService, loadConfig } from '../../libs/config/index.js';
import { HttpClientModule } from '../../libs/http-client/index.js';
import {
  COURIER_ENTITIES,
  CourierModule,
  courierUsesRedis,
  type CourierOptions,
} from '../../libs/courier/index.js';
import { AppLogger, LoggingModule } from '../../libs/logging/index.js';
import { PersistenceModule } from '../../libs/persistence/index.js';
import { MIGRATIONS } from '../../migrations/index.js';

export interface CourierContext {
  app: INestApplicationContext;
  /** Parsed JSON log lines so far. */
  logs(): Record<string, unknown>[];
  close(): Promise<void>;
}

/**
 * The real CourierModule in a Nest context of its own, on the given database, configured like a
 * server through environment variables (`COURIER_SMTP_CONNECTION_URI`, …).
 */
export async function startCourierContext(options: {
  dsn: string;
  env?: Record<string, string>;
  dev?: boolean;
  role?: 'server' | 'worker';
  /** False: a producer only, for a server or worker process that delivers. */
  deliver?: boolean;
  /** Apply migrations first (default); off when a server process already did. */
  migrate?: boolean;
  overrides?: Partial<CourierOptions>;
}): Promise<CourierContext> {
  const loaded = loadConfig({
    configFiles: [],
    env: { DSN: options.dsn, SECRETS_COOKIE: 'a-cookie-secret-of-32-characters', ...options.env },
    dev: options.dev ?? false,
    cwd: process.cwd(),
  });
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      callback();
    },
  });
  const logger = new AppLogger({ level: 'debug', secrets: loaded.secrets, destination });
  const app = await NestFactory.createApplicationContext(
    {
      module: class CourierTestRoot {},
      imports: [
        ConfigModule.forRoot(loaded),
        HttpClientModule,
        LoggingModule.forRoot(logger),
        PersistenceModule.forRoot({
          entities: [...COURIER_ENTITIES],
          migrations: MIGRATIONS,
          migrateOnStart: options.migrate ?? true,
        }),
        CourierModule.forRoot({
          role: options.role ?? 'worker',
          deliver: options.deliver,
          redis: courierUsesRedis(new ConfigService(loaded)),
          options: options.overrides,
        }),
      ],
    },
    { logger: false, abortOnError: false },
  );
  await app.init();
  return {
    app,
    logs: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    close: () => app.close(),
  };
}
