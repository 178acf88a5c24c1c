import { submitNode, type UiNode } from '../../flow/index.js';
import { Text } from '../../text/index.js';

/** One submit button per provider: `provider=<id>`, group `oidc`. */
export function providerButtons(
  providers: { id: string; label: string }[],
  kind: 'login' | 'registration',
): UiNode[] {
  return providers.map(({ id, label }) =>
    submitNode(
      'oidc',
      'provider',
      id,
      kind === 'login' ? Text.signInWith(label, id) : Text.signUpWith(label, id),
    ),
  );
}
