import { type RecoveryFlowEntity, uiJson } from '../core/index.js';

/** The contract's `recoveryFlow`, keys in Kratos' order. */
export function recoveryFlowJson(flow: RecoveryFlowEntity, continueWith?: unknown[]) {
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
    ...(continueWith ? { continue_with: continueWith } : {}),
  };
}
