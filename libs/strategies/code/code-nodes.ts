import { inputNode, submitNode, type UiContainer, type UiNode } from '../../flow/index.js';
import { CodeText, type UiText } from '../../text/index.js';

/** The code step: the code input, a hidden method, Continue and Resend (as Kratos' code nodes). */
export function codeStepNodes(label: UiText): UiNode[] {
  return [
    inputNode(
      'code',
      {
        name: 'code',
        type: 'text',
        required: true,
        autocomplete: 'one-time-code',
        pattern: '[0-9]+',
        maxlength: 6,
      },
      label,
    ),
    inputNode('code', { name: 'method', type: 'hidden', value: 'code' }),
    submitNode('code', 'method', 'code', CodeText.labelContinue()),
    submitNode('code', 'resend', 'code', CodeText.labelResendCode()),
  ];
}

/**
 * After a code went out: the other methods' nodes go, the identifier or traits stay as hidden
 * inputs with their submitted values, and the code step follows.
 */
export function toCodeStep(ui: UiContainer, keep: (name: string) => boolean, label: UiText): void {
  const kept = ui.nodes.filter((node) => {
    const name = (node.attributes as { name?: string }).name ?? '';
    return name === 'csrf_token' || keep(name);
  });
  for (const node of kept) {
    const attributes = node.attributes as Record<string, unknown>;
    if (attributes['name'] !== 'csrf_token') attributes['type'] = 'hidden';
  }
  ui.nodes = [...kept, ...codeStepNodes(label)];
}
