import { Module } from '@nestjs/common';
import { HashModule } from '../hash/index.js';
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
  VerificationSender,
} from './core/index.js';
import { ThrottleModule } from '../throttle/index.js';
import { AddressRepository } from './codes/address.repository.js';
import { CodeMailer } from './codes/code-mailer.js';
import { OneTimeCodeRepository } from './codes/one-time-code.repository.js';
import { OneTimeCodes } from './codes/one-time-codes.js';
import { CodeLimits } from './codes/send-limits.js';
import { RecoveryAdminService } from './recovery/recovery-admin.service.js';
import { RecoveryAdminController } from './recovery/recovery.admin.controller.js';
import { RecoveryFlowController } from './recovery/recovery-flow.controller.js';
import { RecoveryFlowService } from './recovery/recovery-flow.service.js';
import { RecoverySettingsHandOff } from './recovery/recovery-settings-hand-off.js';
import { SettingsHandOff } from './recovery/settings-hand-off.js';
import { CodeVerificationSender } from './verification/code-verification.sender.js';
import { VerificationFlowController } from './verification/verification-flow.controller.js';
import { VerificationFlowService } from './verification/verification-flow.service.js';
import { FlowErrorController } from './errors/flow-error.controller.js';
import { LoginFlowController } from './login/login-flow.controller.js';
import { LoginFlowService } from './login/login-flow.service.js';
import { LoginResponder } from './login/login-responder.js';
import { LogoutController } from './logout/logout.controller.js';
import { RegistrationFlowController } from './registration/registration-flow.controller.js';
import { RegistrationFlowService } from './registration/registration-flow.service.js';
import { RegistrationResponder } from './registration/registration-responder.js';
import { ChangePasswordController } from './settings/change-password.controller.js';
import { SettingsFlowController } from './settings/settings-flow.controller.js';
import { SendFloor } from './codes/send-floor.js';
import { ContinuityCookie } from './settings/continuity-cookie.js';
import { SettingsContinuity } from './settings/settings-continuity.js';
import { SettingsFlowRepository } from './settings/settings-flow.repository.js';
import { SettingsFlowService } from './settings/settings-flow.service.js';
import { SettingsResponder } from './settings/settings-responder.js';

/**
 * The self-service flows. The strategy lists (LOGIN_STRATEGIES, REGISTRATION_STRATEGIES,
 * SETTINGS_STRATEGIES) and the
 * after-hooks (FLOW_HOOKS) come from the application's global providers.
 */
@Module({
  imports: [HashModule, IdentityModule, SchemaModule, SessionModule, ThrottleModule],
  controllers: [
    LoginFlowController,
    RegistrationFlowController,
    SettingsFlowController,
    ChangePasswordController,
    LogoutController,
    FlowErrorController,
    VerificationFlowController,
    RecoveryFlowController,
    RecoveryAdminController,
  ],
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
    SettingsFlowService,
    SettingsFlowRepository,
    SettingsContinuity,
    ContinuityCookie,
    SettingsResponder,
    OneTimeCodeRepository,
    OneTimeCodes,
    AddressRepository,
    CodeMailer,
    CodeLimits,
    { provide: SendFloor, useFactory: () => new SendFloor() },
    VerificationFlowService,
    RecoveryFlowService,
    RecoveryAdminService,
    { provide: VerificationSender, useClass: CodeVerificationSender },
    { provide: SettingsHandOff, useClass: RecoverySettingsHandOff },
  ],
  exports: [
    CsrfTokens,
    FlowHttp,
    ContinuityCookie,
    LoginFlowService,
    LoginResponder,
    RegistrationFlowService,
    RegistrationResponder,
    ReturnToPolicy,
    FlowFactory,
    FlowResponder,
    SettingsFlowService,
    SettingsResponder,
    OneTimeCodes,
    CodeMailer,
    CodeLimits,
    SendFloor,
    VerificationSender,
    VerificationFlowService,
  ],
})
export class FlowModule {}
