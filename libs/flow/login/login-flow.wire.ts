import { type LoginFlowEntity } from '../core/index.js';
import { uiJson } from '../core/index.js';

/** The contract's `loginFlow`, keys in Kratos' order. CSRF hashes and internals stay inside. */
export function loginFlowJson(flow: LoginFlowEntity) {
  return {
    id: flow.id,
    organization_id: null,
    type: flow.type,
    expires_at: flow.expiresAt.toISOString(),
    issued_at: flow.issuedAt.toISOString(),
    request_url: flow.requestUrl,
    ...(flow.returnTo ? { return_to: flow.returnTo } : {}),
    ...(flow.active ? { active: flow.active } : {}),
    ui: uiJson(flow.ui),
    created_at: flow.createdAt.toISOString(),
    updated_at: flow.updatedAt.toISOString(),
    refresh: flow.refresh,
    requested_aal: flow.requestedAal,
    state: flow.state,
    ...(flow.transientPayload ? { transient_payload: flow.transientPayload } : {}),
  };
}
