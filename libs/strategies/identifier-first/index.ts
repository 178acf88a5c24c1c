export { IdentifierFirstStrategyModule } from './identifier-first.module.js';
export { IdentifierFirstStrategy } from './identifier-first.strategy.js';
