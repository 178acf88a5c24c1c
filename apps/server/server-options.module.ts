import { Global, Module } from '@nestjs/common';
import { ConfigService } from '../../libs/config/index.js';
import { HASHER_OPTIONS, type HasherOptions } from '../../libs/hash/index.js';
import { IDENTITY_SCHEMA_OPTIONS, type IdentitySchemaOptions } from '../../libs/schema/index.js';

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
  ],
  exports: [HASHER_OPTIONS, IDENTITY_SCHEMA_OPTIONS],
})
export class ServerOptionsModule {}
