import { Module } from '@nestjs/common';
import { ConfigService } from '../config/index.js';
import { AppLogger } from '../logging/index.js';
import { IdentityModule } from '../identity/index.js';
import { Jsonnet, JsonnetModule } from '../jsonnet/index.js';
import { Clock } from '../persistence/index.js';
import { CookieSettings } from './cookie-settings.js';
import { SessionAdminController } from './session.admin.controller.js';
import { SessionPresenter } from './session.presenter.js';
import { SessionPublicController } from './session.public.controller.js';
import { SessionRepository } from './session.repository.js';
import { SessionService } from './session.service.js';
import { SessionTokenizer } from './session-tokenizer.js';
import {
  LocalInvalidationBus,
  RedisInvalidationBus,
  SESSION_INVALIDATION,
  type SessionInvalidationBus,
} from './session-invalidation.js';
import { SessionTransport } from './session-transport.js';
import { SessionTokenExchanges } from './session-token-exchanges.js';
import { WhoamiAnswers } from './whoami-answers.js';

/** Replicas sharing `redis.url` tell each other of revocations; alone, nothing needs telling. */
async function invalidationBus(
  config: ConfigService,
  logger: AppLogger | undefined,
): Promise<SessionInvalidationBus> {
  const url = config.get<string>('redis.url');
  if (!url) return new LocalInvalidationBus();
  return RedisInvalidationBus.connect(url, (error) =>
    logger?.error('session cache: Redis connection error', { err: error }),
  );
}

/** What the rest of the application (flows, strategies, the whoami route) uses of sessions. */
const EXPORTED = [
  SessionService,
  SessionPresenter,
  SessionTransport,
  CookieSettings,
  SessionTokenExchanges,
  WhoamiAnswers,
];

@Module({
  imports: [IdentityModule, JsonnetModule],
  controllers: [SessionPublicController, SessionAdminController],
  providers: [
    SessionRepository,
    ...EXPORTED,
    {
      provide: SessionTokenizer,
      inject: [ConfigService, Jsonnet, Clock],
      useFactory: (config: ConfigService, jsonnet: Jsonnet, clock: Clock) =>
        SessionTokenizer.load(config, jsonnet, clock),
    },
    {
      provide: SESSION_INVALIDATION,
      inject: [ConfigService, { token: AppLogger, optional: true }],
      useFactory: invalidationBus,
    },
  ],
  exports: EXPORTED,
})
export class SessionModule {}
