import { Module } from '@nestjs/common';
import { FlowModule } from '../../flow/index.js';
import { IdentityModule } from '../../identity/index.js';
import { SchemaModule } from '../../schema/index.js';
import { SessionModule } from '../../session/index.js';
import { CodeLogin } from './code-login.js';
import { CodeRegistration } from './code-registration.js';
import { CodeStrategy } from './code.strategy.js';

@Module({
  imports: [IdentityModule, SchemaModule, FlowModule, SessionModule],
  providers: [CodeLogin, CodeRegistration, CodeStrategy],
  exports: [CodeStrategy],
})
export class CodeStrategyModule {}
