import { CodeText, type UiText } from '../../text/index.js';
import { inputNode, submitNode, type UiContainer, type UiNode } from '../core/ui.js';

export type AddressMethod = 'code' | 'link';

const csrfOnly = (ui: UiContainer): UiNode[] =>
  ui.nodes.filter((node) => (node.attributes as { name?: string }).name === 'csrf_token');

/** The first form of recovery and verification: the address and a submit for the method. */
export function chooseMethodNodes(ui: UiContainer, method: AddressMethod): void {
  ui.nodes = [
    ...csrfOnly(ui),
    inputNode(
      method,
      { name: 'email', type: 'email', required: true, autocomplete: 'email' },
      CodeText.labelEmail(),
    ),
    submitNode(
      method,
      'method',
      method,
      method === 'code' ? CodeText.labelContinue() : CodeText.labelSubmit(),
    ),
  ];
}

/** The input for a six-digit code from a message. */
export function codeInputNode(label: UiText): UiNode {
  return inputNode(
    'code',
    {
      name: 'code',
      type: 'text',
      required: true,
      pattern: '[0-9]+',
      maxlength: 6,
      autocomplete: 'one-time-code',
    },
    label,
  );
}

/** After a code went out: the code input, the submit, and a resend button carrying the address. */
export function codeSentNodes(ui: UiContainer, label: UiText, address: string): void {
  ui.nodes = [
    ...csrfOnly(ui),
    codeInputNode(label),
    inputNode('code', { name: 'method', type: 'hidden', value: 'code' }),
    submitNode('code', 'method', 'code', CodeText.labelContinue()),
    submitNode('code', 'email', address, CodeText.labelResendCode()),
  ];
}

/** After a link went out, the form stays as it was, pre-filled, so the user may send again. */
export function linkSentNodes(ui: UiContainer, address: string): void {
  chooseMethodNodes(ui, 'link');
  const email = ui.nodes.find((node) => (node.attributes as { name?: string }).name === 'email');
  if (email) (email.attributes as Record<string, unknown>)['value'] = address;
}

/** An anchor node (`a`), as verification shows once the address is verified. */
export function anchorNode(group: 'code' | 'link', id: string, href: string, title: UiText): UiNode {
  return { type: 'a', group, attributes: { id, href, title, node_type: 'a' }, messages: [], meta: {} };
}
