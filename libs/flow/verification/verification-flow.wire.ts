import { uiJson, type VerificationFlowEntity } from '../core/index.js';

/** The contract's `verificationFlow`, keys in Kratos' order. */
export function verificationFlowJson(flow: VerificationFlowEntity) {
  return {
    id: flow.id,
    type: flow.type,
    expires_at: flow.expiresAt.toISOString(),
    issued_at: flow.issuedAt.toISOString(),
    request_url: flow.requestUrl,
    ...(flow.returnTo ? { return_to: flow.returnTo } : {}),
    ...(flow.active ? { active: flow.active } : {}),
    ui: uiJson(flow.ui),
    state: flow.state,
    ...(flow.transientPayload ? { transient_payload: flow.transientPayload } : {}),
  };
}
