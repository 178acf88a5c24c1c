import { Global, Module, type DynamicModule, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { describe, expect, it } from 'vitest';
import { Database } from '../persistence/index.js';
import { AttemptLimiter } from './attempt-limiter.service.js';
import { ATTEMPT_STORE } from './attempt-store.js';
import { DatabaseAttemptStore } from './database-attempt.store.js';
import { GuessLimiter } from './guess-limiter.service.js';
import { HashGate } from './hash-gate.service.js';
import { ThrottleModule } from './throttle.module.js';
import { THROTTLE_OPTIONS } from './throttle.options.js';

/** Stands in for PersistenceModule; nothing here reaches the database. */
@Global()
@Module({
  providers: [{ provide: Database, useValue: { dialect: 'sqlite' } }],
  exports: [Database],
})
class FakePersistenceModule {}

async function boot(...imports: (Type | DynamicModule)[]) {
  @Module({ imports })
  class AppModule {}
  return NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false });
}

describe('ThrottleModule', () => {
  it('builds the gate from forRoot options and counts attempts in the database by default', async () => {
    const app = await boot(
      FakePersistenceModule,
      ThrottleModule.forRoot({ maxConcurrentHashes: 2, maxHashQueue: 5 }),
    );
    try {
      const gate = app.get(HashGate);
      expect([gate.maxConcurrent, gate.maxQueue]).toEqual([2, 5]);
      expect(app.get(AttemptLimiter)).toBeInstanceOf(AttemptLimiter);
      expect(app.get(GuessLimiter)).toBeInstanceOf(GuessLimiter);
      expect(app.get(ATTEMPT_STORE, { strict: false })).toBeInstanceOf(DatabaseAttemptStore);
    } finally {
      await app.close();
    }
  });

  it('takes its options from a global THROTTLE_OPTIONS provider when imported as is', async () => {
    @Global()
    @Module({
      providers: [{ provide: THROTTLE_OPTIONS, useValue: { maxConcurrentHashes: 3 } }],
      exports: [THROTTLE_OPTIONS],
    })
    class OptionsModule {}
    const app = await boot(FakePersistenceModule, OptionsModule, ThrottleModule);
    try {
      const gate = app.get(HashGate);
      expect([gate.maxConcurrent, gate.maxQueue]).toEqual([3, 24]);
    } finally {
      await app.close();
    }
  });

  it('refuses to boot with neither Redis nor a database', async () => {
    await expect(boot(ThrottleModule.forRoot({}))).rejects.toThrow(/need the Database provider/);
  });
});
