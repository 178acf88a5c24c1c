import { type IdentityJson } from '../../identity/index.js';
import { type SettingsFlowEntity, selfServiceFlowJson } from '../core/index.js';

/** A `continueWith` item: what a client should do after this flow. */
export type ContinueWith =
  | { action: 'redirect_browser_to'; redirect_browser_to: string }
  | {
      action: 'show_verification_ui';
      flow: { id: string; verifiable_address: string; url?: string };
    };

/**
 * The contract's `settingsFlow`: the common flow fields and its own. `identity` is the public identity JSON;
 * `continueWith` is what the last submission produced (not stored with the flow).
 */
export function settingsFlowJson(
  flow: SettingsFlowEntity,
  identity: IdentityJson,
  continueWith?: ContinueWith[],
) {
  return {
    ...selfServiceFlowJson(flow),
    identity,
    state: flow.state,
    ...(continueWith && continueWith.length > 0 ? { continue_with: continueWith } : {}),
  };
}
