import { Writable } from 'node:stream';
import { type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigModule, ConfigService, loadConfig } from '../../libs/config/index.js';
import { HttpClientModule } from '../../libs/http-client/index.js';
import { courierUsesRedis } from '../../libs/courier/index.js';
import { AppLogger, LoggingModule } from '../../libs/logging/index.js';
import { PersistenceModule } from '../../libs/persistence/index.js';
import {
  WEB_HOOK_OUTBOX_ENTITIES,
  WebHookOutboxModule,
  type WebHookOutboxOptions,
} from '../../libs/web-hook-outbox/index.js';
import { MIGRATIONS } from '../../migrations/index.js';

export interface OutboxContext {
  app: INestApplicationContext;
  /** Parsed JSON log lines so far. */
  logs(): Record<string, unknown>[];
  close(): Promise<void>;
}

/**
 * The real WebHookOutboxModule in a Nest context of its own, on the given database, configured
 * like a server through environment variables (`COURIER_QUEUE_REDIS_URL`, `SECRETS_CIPHER`, …).
 */
export async function startOutboxContext(options: {
  dsn: string;
  env?: Record<string, string>;
  role?: 'server' | 'worker';
  deliver?: boolean;
  migrate?: boolean;
  overrides?: Partial<WebHookOutboxOptions>;
}): Promise<OutboxContext> {
  const loaded = loadConfig({
    configFiles: [],
    env: { DSN: options.dsn, SECRETS_COOKIE: 'a-cookie-secret-of-32-characters', ...options.env },
    dev: false,
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
      module: class OutboxTestRoot {},
      imports: [
        ConfigModule.forRoot(loaded),
        HttpClientModule,
        LoggingModule.forRoot(logger),
        PersistenceModule.forRoot({
          entities: [...WEB_HOOK_OUTBOX_ENTITIES],
          migrations: MIGRATIONS,
          migrateOnStart: options.migrate ?? true,
        }),
        WebHookOutboxModule.forRoot({
          role: options.role ?? 'server',
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
