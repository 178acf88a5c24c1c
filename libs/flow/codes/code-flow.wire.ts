import { uiJson } from '../core/index.js';
import { type CodeFlowEntity } from './code-flow.service.js';

/**
 * The contract's `recoveryFlow` and `verificationFlow`, keys in Kratos' order. Only a recovery
 * that signed a native app in has a `continueWith`.
 */
export function codeFlowJson(flow: CodeFlowEntity, continueWith?: unknown[]) {
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
