import { Module } from '@nestjs/common';
import { IdentityModule } from '../../identity/index.js';
import { SchemaModule } from '../../schema/index.js';
import { IdentifierFirstStrategy } from './identifier-first.strategy.js';

@Module({
  imports: [IdentityModule, SchemaModule],
  providers: [IdentifierFirstStrategy],
  exports: [IdentifierFirstStrategy],
})
export class IdentifierFirstStrategyModule {}
