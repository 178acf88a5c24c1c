import { type RegistrationFlowEntity, uiJson } from '../core/index.js';

/** The contract's `registrationFlow`, keys in Kratos' order. */
export function registrationFlowJson(flow: RegistrationFlowEntity) {
  return {
    id: flow.id,
    type: flow.type,
    expires_at: flow.expiresAt.toISOString(),
    issued_at: flow.issuedAt.toISOString(),
    request_url: flow.requestUrl,
    ...(flow.returnTo ? { return_to: flow.returnTo } : {}),
    ...(flow.active ? { active: flow.active } : {}),
    ui: uiJson(flow.ui),
    organization_id: null,
    ...(flow.transientPayload ? { transient_payload: flow.transientPayload } : {}),
    state: flow.state,
  };
}
