import { type LoginFlowEntity, selfServiceFlowJson } from '../core/index.js';

/** The contract's `loginFlow`: the common flow fields and its own. */
export function loginFlowJson(flow: LoginFlowEntity) {
  return {
    ...selfServiceFlowJson(flow),
    organization_id: null,
    created_at: flow.createdAt.toISOString(),
    updated_at: flow.updatedAt.toISOString(),
    refresh: flow.refresh,
    requested_aal: flow.requestedAal,
    state: flow.state,
  };
}
