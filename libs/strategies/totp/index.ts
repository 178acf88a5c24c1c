export { TotpStrategyModule } from './totp.module.js';
export { TotpStrategy } from './totp.strategy.js';
export { totpCredentialContext } from './totp-settings.js';
export { UpdateLoginFlowWithTotpMethod, UpdateSettingsFlowWithTotpMethod } from './totp-body.dto.js';
