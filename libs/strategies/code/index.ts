export { CodeStrategy } from './code.strategy.js';
export { CodeStrategyModule } from './code.module.js';
export { UpdateLoginFlowWithCodeMethod, UpdateRegistrationFlowWithCodeMethod } from './code-body.dto.js';
