import { type RegistrationFlowEntity, selfServiceFlowJson } from '../core/index.js';

/** The contract's `registrationFlow`: the common flow fields and its own. */
export function registrationFlowJson(flow: RegistrationFlowEntity) {
  return {
    ...selfServiceFlowJson(flow),
    organization_id: null,
    state: flow.state,
  };
}
