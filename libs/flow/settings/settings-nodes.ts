import { type UiNode } from '../core/index.js';

/** Kratos' group order of the settings form; nodes keep their order within a group. */
const GROUP_ORDER = [
  'default',
  'profile',
  'password',
  'oidc',
  'lookup_secret',
  'webauthn',
  'passkey',
  'totp',
];

export function orderSettingsNodes(nodes: UiNode[]): UiNode[] {
  const rank = (node: UiNode) => {
    const index = GROUP_ORDER.indexOf(node.group);
    return index < 0 ? GROUP_ORDER.length : index;
  };
  return nodes
    .map((node, position) => ({ node, position }))
    .sort((a, b) => rank(a.node) - rank(b.node) || a.position - b.position)
    .map(({ node }) => node);
}
