import { Global, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { describe, expect, it } from 'vitest';
import { ConfigService, loadConfig } from '../config/index.js';
import { Cipher } from './cipher.js';
import { HashModule } from './hash.module.js';
import { DEFAULT_HASHER_OPTIONS, HASHER_OPTIONS } from './hasher.options.js';
import { PasswordHasher } from './password-hasher.service.js';

@Global()
@Module({
  providers: [
    { provide: HASHER_OPTIONS, useValue: DEFAULT_HASHER_OPTIONS },
    {
      provide: ConfigService,
      useValue: new ConfigService(
        loadConfig({
          configFiles: [],
          env: { SECRETS_CIPHER: '["0123456789abcdef0123456789abcdef"]' },
          dev: true,
          cwd: '/',
        }),
      ),
    },
  ],
  exports: [HASHER_OPTIONS, ConfigService],
})
class OptionsModule {}

@Module({ imports: [OptionsModule, HashModule] })
class AppModule {}

describe('HashModule', () => {
  it('provides PasswordHasher from application-supplied options and Cipher from secrets.cipher', async () => {
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false });
    try {
      expect(
        app.get(PasswordHasher).needsRehash('$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g'),
      ).toBe(false);
      const cipher = app.get(Cipher);
      expect(cipher.decrypt(cipher.encrypt('seed', 'totp:1'), 'totp:1')).toBe('seed');
    } finally {
      await app.close();
    }
  });
});
