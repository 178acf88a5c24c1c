import { Module } from '@nestjs/common';
import { IdentityModule } from '../../identity/index.js';
import { SchemaModule } from '../../schema/index.js';
import { ProfileRegistration } from './profile-registration.js';
import { ProfileStrategy } from './profile.strategy.js';

@Module({
  imports: [IdentityModule, SchemaModule],
  providers: [ProfileStrategy, ProfileRegistration],
  exports: [ProfileStrategy],
})
export class ProfileStrategyModule {}
