import { inputNode, submitNode, type UiNode } from '../../flow/index.js';
import { MfaText, type UiText } from '../../text/index.js';

export function lookupLoginNodes(): UiNode[] {
  return [
    inputNode(
      'lookup_secret',
      { name: 'lookup_secret', type: 'text', required: true },
      MfaText.lookupLabel(),
    ),
    submitNode('lookup_secret', 'method', 'lookup_secret', MfaText.useLookup()),
  ];
}

const button = (name: string, label: UiText) => submitNode('lookup_secret', name, 'true', label);
export const regenerateNode = () => button('lookup_secret_regenerate', MfaText.regenerateLookup());
export const revealNode = () => button('lookup_secret_reveal', MfaText.revealLookup());
export const confirmNode = () => button('lookup_secret_confirm', MfaText.confirmLookup());
export const disableNode = () => button('lookup_secret_disable', MfaText.disableLookup());

/** The codes as one text node; spent ones say when they were used instead of their value. */
export function codesNode(codes: { code: string; usedAt?: Date }[]): UiNode {
  const secrets = codes.map((c) =>
    c.usedAt ? MfaText.lookupSecretUsed(c.usedAt) : MfaText.lookupSecret(c.code),
  );
  const texts = codes.map((c) => (c.usedAt ? 'used' : c.code));
  return {
    type: 'text',
    group: 'lookup_secret',
    attributes: {
      text: MfaText.lookupSecretList(texts, secrets),
      id: 'lookup_secret_codes',
      node_type: 'text',
    },
    messages: [],
    meta: { label: MfaText.lookupSecretsLabel() },
  };
}
