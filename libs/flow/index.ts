import { FlowErrorEntity, LoginFlowEntity, RegistrationFlowEntity } from './core/index.js';

export * from './core/index.js';
export { FlowModule } from './flow.module.js';

export const FLOW_ENTITIES = [LoginFlowEntity, RegistrationFlowEntity, FlowErrorEntity];
