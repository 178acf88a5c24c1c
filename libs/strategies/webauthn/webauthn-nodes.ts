import { randomUUID } from 'node:crypto';
import { inputNode, type NodeGroup, type UiNode } from '../../flow/index.js';
import { type UiText } from '../../text/index.js';
import { WEBAUTHN_SCRIPT_INTEGRITY } from './webauthn-script.js';

export type WebAuthnTrigger =
  | 'oryWebAuthnRegistration'
  | 'oryWebAuthnLogin'
  | 'oryPasskeyLogin'
  | 'oryPasskeyLoginAutocompleteInit'
  | 'oryPasskeyRegistration'
  | 'oryPasskeySettingsRegistration';

/** The `webauthn_script` node: UIs load the helper script from it. */
export function scriptNode(group: NodeGroup, src: string): UiNode {
  return {
    type: 'script',
    group,
    attributes: {
      src,
      async: true,
      referrerpolicy: 'no-referrer',
      crossorigin: 'anonymous',
      integrity: WEBAUTHN_SCRIPT_INTEGRITY,
      type: 'text/javascript',
      id: 'webauthn_script',
      nonce: randomUUID(),
      node_type: 'script',
    },
    messages: [],
    meta: {},
  };
}

/**
 * A button that starts a ceremony. `onclick` is the deprecated inline form older UIs evaluate;
 * `onclickTrigger` names the `window` function newer UIs call.
 */
export function triggerNode(
  group: NodeGroup,
  name: string,
  trigger: WebAuthnTrigger,
  label: UiText,
  value = '',
  passOptions = false,
): UiNode {
  return inputNode(
    group,
    {
      name,
      type: 'button',
      value,
      onclick: passOptions && value ? `window.__${trigger}(${value})` : `window.__${trigger}()`,
      onclickTrigger: trigger,
    },
    label,
  );
}

/** A hidden input whose ceremony starts when the page loads (`onloadTrigger`; `onload` for older UIs). */
export function onloadNode(group: NodeGroup, name: string, trigger: WebAuthnTrigger): UiNode {
  return inputNode(group, {
    name,
    type: 'hidden',
    value: '',
    onload: `window.__${trigger}()`,
    onloadTrigger: trigger,
  });
}

export function hiddenNode(group: NodeGroup, name: string, value = '', label?: UiText): UiNode {
  return inputNode(group, { name, type: 'hidden', value }, label);
}
