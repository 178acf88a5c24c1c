import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AppLogger } from '../logging/index.js';
import { Clock, Database } from '../persistence/index.js';
import { AttemptLimiter } from './attempt-limiter.service.js';
import { ATTEMPT_STORE, type AttemptStore } from './attempt-store.js';
import { createAttemptStore } from './attempt-store.factory.js';
import { GuessLimiter } from './guess-limiter.service.js';
import { HashGate } from './hash-gate.service.js';
import { THROTTLE_OPTIONS, type ThrottleOptions } from './throttle.options.js';

/**
 * Attempt limits, the brute-force policy and the hash gate. Import `ThrottleModule.forRoot(options)`, or `ThrottleModule`
 * itself when the application provides THROTTLE_OPTIONS from a global module.
 */
@Module({
  providers: [
    {
      provide: ATTEMPT_STORE,
      inject: [
        THROTTLE_OPTIONS,
        { token: Database, optional: true },
        { token: Clock, optional: true },
        { token: AppLogger, optional: true },
      ],
      useFactory: createAttemptStore,
    },
    {
      provide: AttemptLimiter,
      inject: [ATTEMPT_STORE],
      useFactory: (store: AttemptStore) => new AttemptLimiter(store),
    },
    {
      provide: GuessLimiter,
      inject: [AttemptLimiter, THROTTLE_OPTIONS, { token: AppLogger, optional: true }],
      useFactory: (limiter: AttemptLimiter, options: ThrottleOptions, logger: AppLogger | undefined) =>
        new GuessLimiter(limiter, options.guessBudgets, logger),
    },
    {
      provide: HashGate,
      inject: [THROTTLE_OPTIONS],
      useFactory: (options: ThrottleOptions) =>
        new HashGate({ maxConcurrent: options.maxConcurrentHashes, maxQueue: options.maxHashQueue }),
    },
  ],
  exports: [AttemptLimiter, GuessLimiter, HashGate],
})
export class ThrottleModule implements OnApplicationShutdown {
  constructor(@Inject(ATTEMPT_STORE) private readonly store: AttemptStore) {}

  static forRoot(options: ThrottleOptions = {}): DynamicModule {
    return { module: ThrottleModule, providers: [{ provide: THROTTLE_OPTIONS, useValue: options }] };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
