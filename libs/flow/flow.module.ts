import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/index.js';
import { SchemaModule } from '../schema/index.js';
import { SessionModule } from '../session/index.js';
import {
  CsrfTokens,
  FlowErrorRepository,
  FlowFactory,
  FlowHttp,
  FlowResponder,
  HookRunner,
  ReturnToPolicy,
} from './core/index.js';
import { FlowErrorController } from './errors/flow-error.controller.js';
import { LoginFlowController } from './login/login-flow.controller.js';
import { LoginFlowService } from './login/login-flow.service.js';
import { LoginResponder } from './login/login-responder.js';
import { LogoutController } from './logout/logout.controller.js';
import { RegistrationFlowController } from './registration/registration-flow.controller.js';
import { RegistrationFlowService } from './registration/registration-flow.service.js';
import { RegistrationResponder } from './registration/registration-responder.js';

/**
 * The self-service flows. The strategy lists (LOGIN_STRATEGIES, REGISTRATION_STRATEGIES) and the
 * after-hooks (FLOW_HOOKS) come from the application's global providers.
 */
@Module({
  imports: [IdentityModule, SchemaModule, SessionModule],
  controllers: [LoginFlowController, RegistrationFlowController, LogoutController, FlowErrorController],
  providers: [
    CsrfTokens,
    FlowErrorRepository,
    FlowFactory,
    FlowHttp,
    FlowResponder,
    ReturnToPolicy,
    LoginFlowService,
    HookRunner,
    LoginResponder,
    RegistrationFlowService,
    RegistrationResponder,
  ],
  exports: [CsrfTokens, ReturnToPolicy, FlowFactory, FlowResponder],
})
export class FlowModule {}
