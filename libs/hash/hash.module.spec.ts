import { Global, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { describe, expect, it } from 'vitest';
import { HashModule } from './hash.module.js';
import { DEFAULT_HASHER_OPTIONS, HASHER_OPTIONS } from './hasher.options.js';
import { PasswordHasher } from './password-hasher.service.js';

@Global()
@Module({
  providers: [{ provide: HASHER_OPTIONS, useValue: DEFAULT_HASHER_OPTIONS }],
  exports: [HASHER_OPTIONS],
})
class OptionsModule {}

@Module({ imports: [OptionsModule, HashModule] })
class AppModule {}

describe('HashModule', () => {
  it('provides PasswordHasher from application-supplied options', async () => {
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    try {
      expect(
        app.get(PasswordHasher).needsRehash('$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g'),
      ).toBe(false);
    } finally {
      await app.close();
    }
  });
});
