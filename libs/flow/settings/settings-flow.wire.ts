import { type IdentityJson } from '../../identity/index.js';
import { type SettingsFlowEntity, uiJson } from '../core/index.js';

/** A `continueWith` item: what a client should do after this flow. */
export type ContinueWith =
  | { action: 'redirect_browser_to'; redirect_browser_to: string }
  | {
      action: 'show_verification_ui';
      flow: { id: string; verifiable_address: string; url?: string };
    };

/**
 * The contract's `settingsFlow`, keys in Kratos' order. `identity` is the public identity JSON;
 * `continueWith` is what the last submission produced (not stored with the flow).
 */
export function settingsFlowJson(
  flow: SettingsFlowEntity,
  identity: IdentityJson,
  continueWith?: ContinueWith[],
) {
  return {
    id: flow.id,
    type: flow.type,
    expires_at: flow.expiresAt.toISOString(),
    issued_at: flow.issuedAt.toISOString(),
    request_url: flow.requestUrl,
    ...(flow.returnTo ? { return_to: flow.returnTo } : {}),
    ...(flow.active ? { active: flow.active } : {}),
    ui: uiJson(flow.ui),
    identity,
    state: flow.state,
    ...(continueWith && continueWith.length > 0 ? { continue_with: continueWith } : {}),
    ...(flow.transientPayload ? { transient_payload: flow.transientPayload } : {}),
  };
}
