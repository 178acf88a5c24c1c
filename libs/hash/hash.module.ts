import { Module } from '@nestjs/common';
import { Cipher } from './cipher.js';
import { PasswordHasher } from './password-hasher.service.js';

/** HASHER_OPTIONS comes from the application, which builds it from configuration. */
@Module({
  providers: [PasswordHasher, Cipher],
  exports: [PasswordHasher, Cipher],
})
export class HashModule {}
