export { LookupSecretStrategyModule } from './lookup-secret.module.js';
export { LookupSecretStrategy } from './lookup-secret.strategy.js';
export { lookupCredentialContext } from './lookup-settings.js';
export {
  UpdateLoginFlowWithLookupSecretMethod,
  UpdateSettingsFlowWithLookupMethod,
} from './lookup-body.dto.js';
