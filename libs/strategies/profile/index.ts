export {
  UpdateRegistrationFlowWithProfileMethod,
  UpdateSettingsFlowWithProfileMethod,
} from './profile-body.dto.js';
export { ProfileStrategyModule } from './profile.module.js';
export { ProfileStrategy } from './profile.strategy.js';
