export { PasskeyStrategyModule } from './passkey.module.js';
export { PasskeyStrategy } from './passkey.strategy.js';
