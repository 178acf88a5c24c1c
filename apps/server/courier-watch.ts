import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { LoadedConfig } from '../../libs/config/index.js';
import type { AppLogger } from '../../libs/logging/index.js';
import { WorkerModule } from '../worker/worker.module.js';

/** `tessera courier watch`: the worker's own container, no HTTP listener. */
export async function startCourierWorker(
  loaded: LoadedConfig,
  logger: AppLogger,
): Promise<{ close(): Promise<void> }> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(loaded, logger), {
    logger,
    abortOnError: false,
  });
  await app.init();
  logger.info('courier worker is running');
  return { close: () => app.close() };
}
