import { Module } from '@nestjs/common';
import { IdentityModule } from '../../identity/index.js';
import { SchemaModule } from '../../schema/index.js';
import { ProfileStrategy } from './profile.strategy.js';

@Module({
  imports: [IdentityModule, SchemaModule],
  providers: [ProfileStrategy],
  exports: [ProfileStrategy],
})
export class ProfileStrategyModule {}
