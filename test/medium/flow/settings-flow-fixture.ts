import { csrfNode, SettingsFlowEntity, type UiNode } from '../../../libs/flow/index.js';
import { newId } from '../../../libs/persistence/index.js';

/** A browser settings flow as the service would store it, with `nodes` after the CSRF node. */
export function settingsFlow(
  fields: { nodes?: UiNode[]; internalContext?: Record<string, unknown> | null } = {},
): SettingsFlowEntity {
  const now = new Date();
  const id = newId();
  return Object.assign(new SettingsFlowEntity(), {
    id,
    type: 'browser' as const,
    requestUrl: 'http://127.0.0.1:4433/self-service/settings/browser',
    returnTo: null,
    issuedAt: now,
    expiresAt: new Date(now.getTime() + 60_000),
    state: 'show_form',
    active: null,
    ui: {
      action: `http://127.0.0.1:4433/self-service/settings?flow=${id}`,
      method: 'POST' as const,
      nodes: [csrfNode(''), ...(fields.nodes ?? [])],
    },
    csrfTokenHash: 'a'.repeat(64),
    identitySchema: null,
    transientPayload: null,
    internalContext: fields.internalContext ?? null,
    createdAt: now,
    updatedAt: now,
    identityId: newId(),
  });
}
