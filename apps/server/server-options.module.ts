import { Global, Module } from '@nestjs/common';
import { ConfigService } from '../../libs/config/index.js';
import { HASHER_OPTIONS, type HasherOptions } from '../../libs/hash/index.js';
import { IDENTITY_SCHEMA_OPTIONS, type IdentitySchemaOptions } from '../../libs/schema/index.js';
import { PASSWORD_POLICY_OPTIONS, type PasswordPolicyOptions } from '../../libs/strategies/password/index.js';
import { type GuessBudgets, THROTTLE_OPTIONS, type ThrottleOptions } from '../../libs/throttle/index.js';

function passwordPolicy(config: ConfigService): PasswordPolicyOptions {
  const c = (key: string) => config.get(`selfservice.methods.password.config.${key}`);
  const host = String(c('haveibeenpwned_host') ?? 'api.pwnedpasswords.com');
  const scheme = host.startsWith('http://') ? 'http' : 'https';
  return {
    minLength: Number(c('min_password_length') ?? 8),
    maxBytes: config.hashers.algorithm === 'bcrypt' ? 72 : 4096,
    identifierSimilarityCheck: c('identifier_similarity_check_enabled') !== false,
    haveIBeenPwned: {
      enabled: c('haveibeenpwned_enabled') !== false,
      host: host.replace(/^https?:\/\//, '').replace(/\/$/, ''),
      maxBreaches: Number(c('max_breaches') ?? 0),
      ignoreNetworkErrors: c('ignore_network_errors') !== false,
      timeoutMs: 3000,
      scheme,
    },
  };
}

/** `security.brute_force`: failures per identifier and address, per identifier, per address. */
function guessBudgets(config: ConfigService): GuessBudgets | false {
  if (config.get<boolean>('security.brute_force.enabled') === false) return false;
  const budget = (name: string, limit: number, window: string) => ({
    limit: config.get<number>(`security.brute_force.${name}.limit`) ?? limit,
    windowMs: Math.ceil(config.duration(`security.brute_force.${name}.window`, window)),
  });
  return {
    identifierAddress: budget('per_identifier', 10, '15m'),
    identifier: budget('per_identifier_total', 100, '24h'),
    address: budget('per_ip', 100, '15m'),
  };
}

/**
 * Turns configuration into the plain option objects that libraries below config take, so
 * `hash` and `schema` never depend on the config lib.
 */
@Global()
@Module({
  providers: [
    {
      provide: HASHER_OPTIONS,
      inject: [ConfigService],
      useFactory: (config: ConfigService): HasherOptions => config.hashers,
    },
    {
      provide: IDENTITY_SCHEMA_OPTIONS,
      inject: [ConfigService],
      useFactory: (config: ConfigService): IdentitySchemaOptions => ({
        ...config.identitySchemas,
        baseDir: process.cwd(),
      }),
    },
    { provide: PASSWORD_POLICY_OPTIONS, inject: [ConfigService], useFactory: passwordPolicy },
    {
      provide: THROTTLE_OPTIONS,
      inject: [ConfigService],
      useFactory: (config: ConfigService): ThrottleOptions => ({
        redisUrl: config.get<string>('redis.url'),
        maxConcurrentHashes: config.get<number>('hashers.max_concurrent'),
        maxHashQueue: config.get<number>('hashers.max_queue'),
        guessBudgets: guessBudgets(config),
      }),
    },
  ],
  exports: [HASHER_OPTIONS, IDENTITY_SCHEMA_OPTIONS, PASSWORD_POLICY_OPTIONS, THROTTLE_OPTIONS],
})
export class ServerOptionsModule {}
