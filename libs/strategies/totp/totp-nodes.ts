import { inputNode, submitNode, type UiNode } from '../../flow/index.js';
import { MfaText } from '../../text/index.js';

export function totpLoginNodes(): UiNode[] {
  return [
    inputNode(
      'totp',
      { name: 'totp_code', type: 'text', required: true, autocomplete: 'one-time-code' },
      MfaText.totpLabel(),
    ),
    submitNode('totp', 'method', 'totp', MfaText.useTotp()),
  ];
}

/** Enrolment: the QR code and the secret to type in, the first code to prove the app has it. */
export function totpEnrolNodes(qrDataUri: string, secret: string): UiNode[] {
  return [
    {
      type: 'img',
      group: 'totp',
      attributes: { src: qrDataUri, id: 'totp_qr', width: 256, height: 256, node_type: 'img' },
      messages: [],
      meta: { label: MfaText.totpQrCode() },
    },
    {
      type: 'text',
      group: 'totp',
      attributes: { text: MfaText.totpSecret(secret), id: 'totp_secret_key', node_type: 'text' },
      messages: [],
      meta: { label: MfaText.totpSecretLabel() },
    },
    inputNode(
      'totp',
      { name: 'totp_code', type: 'text', required: true, autocomplete: 'one-time-code' },
      MfaText.verifyCode(),
    ),
    submitNode('totp', 'method', 'totp', MfaText.save()),
  ];
}

export function totpUnlinkNodes(): UiNode[] {
  return [submitNode('totp', 'totp_unlink', 'true', MfaText.unlinkTotp())];
}
