import { type SelfServiceFlow } from './flow.entity.js';
import { uiJson } from './ui.js';

/**
 * What every self-service flow writes (`id` … `ui`, and the transient payload of the last
 * submission); each flow kind adds its own state and fields. CSRF hashes and internals stay inside.
 */
export function selfServiceFlowJson(flow: SelfServiceFlow) {
  return {
    id: flow.id,
    type: flow.type,
    expires_at: flow.expiresAt.toISOString(),
    issued_at: flow.issuedAt.toISOString(),
    request_url: flow.requestUrl,
    ...(flow.returnTo ? { return_to: flow.returnTo } : {}),
    ...(flow.active ? { active: flow.active } : {}),
    ui: uiJson(flow.ui),
    ...(flow.transientPayload ? { transient_payload: flow.transientPayload } : {}),
  };
}
