import { Module } from '@nestjs/common';
import { PasswordHasher } from './password-hasher.service.js';

/** HASHER_OPTIONS comes from the application, which builds it from configuration. */
@Module({
  providers: [PasswordHasher],
  exports: [PasswordHasher],
})
export class HashModule {}
