import { type UiText } from '../../text/index.js';

export type NodeGroup =
  | 'default'
  | 'password'
  | 'oidc'
  | 'profile'
  | 'code'
  | 'link'
  | 'totp'
  | 'lookup_secret'
  | 'webauthn'
  | 'passkey'
  | 'identifier_first';

export interface InputAttributes {
  name: string;
  type: string;
  value?: unknown;
  required?: boolean;
  autocomplete?: string;
  pattern?: string;
  disabled: boolean;
  node_type: 'input';
  [extra: string]: unknown;
}

export interface UiNode {
  type: 'input' | 'text' | 'img' | 'a' | 'script' | 'div';
  group: NodeGroup;
  attributes: InputAttributes | Record<string, unknown>;
  messages: UiText[];
  meta: { label?: UiText };
}

export interface UiContainer {
  action: string;
  method: 'POST' | 'GET';
  nodes: UiNode[];
  messages?: UiText[];
}

export function inputNode(
  group: NodeGroup,
  attributes: Omit<InputAttributes, 'disabled' | 'node_type'> & { disabled?: boolean },
  label?: UiText,
): UiNode {
  const { disabled = false, ...rest } = attributes;
  return {
    type: 'input',
    group,
    attributes: { ...rest, disabled, node_type: 'input' },
    messages: [],
    meta: label ? { label } : {},
  };
}

export function submitNode(group: NodeGroup, name: string, value: string, label: UiText): UiNode {
  return inputNode(group, { name, type: 'submit', value }, label);
}

export function csrfNode(token: string): UiNode {
  return inputNode('default', { name: 'csrf_token', type: 'hidden', value: token, required: true });
}

/** Finds an input node by name. */
export function nodeNamed(ui: UiContainer, name: string): UiNode | undefined {
  return ui.nodes.find((node) => (node.attributes as InputAttributes).name === name);
}

export function addNodeMessage(ui: UiContainer, name: string, message: UiText): void {
  const node = nodeNamed(ui, name);
  if (node) node.messages.push(message);
  else addUiMessage(ui, message);
}

export function addUiMessage(ui: UiContainer, message: UiText): void {
  ui.messages = [...(ui.messages ?? []), message];
}

/** Drops the messages of an earlier attempt before a new submission is judged. */
export function clearMessages(ui: UiContainer): void {
  delete ui.messages;
  for (const node of ui.nodes) node.messages = [];
}

/** Writes submitted values back into the form; secrets (passwords, CSRF) are never echoed. */
export function setNodeValue(ui: UiContainer, name: string, value: unknown): void {
  const node = nodeNamed(ui, name);
  if (node && node.attributes['type'] !== 'password' && name !== 'csrf_token')
    node.attributes['value'] = value;
}

export function uiJson(ui: UiContainer): UiContainer {
  return ui.messages && ui.messages.length > 0
    ? ui
    : { action: ui.action, method: ui.method, nodes: ui.nodes };
}
