import { type InputAttributes, type UiNode } from '../core/index.js';

const nameOf = (node: UiNode) => String((node.attributes as InputAttributes).name ?? '');

/**
 * Kratos' order for the one-step form: `csrf_token`, the first trait, `password`, the other traits,
 * anything else, and the `method` buttons last. UIs render nodes in this order.
 */
export function orderRegistrationNodes(nodes: UiNode[]): UiNode[] {
  const csrf = nodes.filter((n) => nameOf(n) === 'csrf_token');
  const traits = nodes.filter((n) => nameOf(n).startsWith('traits.'));
  const password = nodes.filter((n) => nameOf(n) === 'password');
  const methods = nodes.filter((n) => nameOf(n) === 'method');
  const placed = new Set([...csrf, ...traits, ...password, ...methods]);
  const rest = nodes.filter((n) => !placed.has(n));
  return [...csrf, ...traits.slice(0, 1), ...password, ...traits.slice(1), ...rest, ...methods];
}
