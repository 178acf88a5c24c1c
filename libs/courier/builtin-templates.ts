import type { TemplateType } from './courier.port.js';

/** One template's sources, Go template syntax, as Kratos keeps them in `<dir>/<valid|invalid>/`. */
export interface TemplateSources {
  subject: string;
  html: string;
  plaintext: string;
  /** SMS body; only the code templates have one. */
  sms?: string;
}

const expiry = (what: string) =>
  `{{- if .ExpiresInMinutes }}\n\nThis ${what} expires in {{ .ExpiresInMinutes }} minutes.{{ end }}`;

const unknownAddress = (attempt: string): string =>
  `Hi,

you (or someone else) entered this email address when trying to ${attempt}.

However, this email address is not on our database of registered users and therefore the attempt has failed.

If this was you, check if you signed up using a different address.

If this was not you, please ignore this email.`;

const html = (plaintext: string): string =>
  plaintext
    .split('\n\n')
    .map((paragraph) => `<p>${paragraph.replace(/\n/g, '<br>')}</p>`)
    .join('\n');

function codeTemplate(subject: string, intro: string, code: string, smsLabel: string): TemplateSources {
  const text = `Hi,\n\n${intro}\n\n{{ .${code} }}${expiry('code')}`;
  return {
    subject,
    plaintext: text,
    html: html(text),
    sms: `Your ${smsLabel} code is: {{ .${code} }}`,
  };
}

/** The default wording, after Kratos' built-in templates (Apache-2.0). */
export const BUILTIN_TEMPLATES: Record<TemplateType, TemplateSources> = {
  recovery_code_valid: codeTemplate(
    'Use code {{ .RecoveryCode }} to recover access to your account',
    'please recover access to your account by entering the following code:',
    'RecoveryCode',
    'recovery',
  ),
  recovery_code_invalid: {
    subject: 'Account access attempted',
    plaintext: unknownAddress('recover access to an account'),
    html: html(unknownAddress('recover access to an account')),
  },
  recovery_valid: {
    subject: 'Recover access to your account',
    plaintext: `Hi,\n\nplease recover access to your account by clicking the following link:\n\n{{ .RecoveryURL }}${expiry('link')}`,
    html: `<p>Hi,</p>\n<p>please recover access to your account by clicking the following link:</p>\n<p><a href="{{ .RecoveryURL }}">{{ .RecoveryURL }}</a></p>\n{{- if .ExpiresInMinutes }}\n<p>This link expires in {{ .ExpiresInMinutes }} minutes.</p>{{ end }}`,
  },
  recovery_invalid: {
    subject: 'Account access attempted',
    plaintext: unknownAddress('recover access to an account'),
    html: html(unknownAddress('recover access to an account')),
  },
  verification_code_valid: {
    ...codeTemplate(
      'Use code {{ .VerificationCode }} to verify your account',
      'please verify your account by entering the following code:',
      'VerificationCode',
      'verification',
    ),
    plaintext: `Hi,\n\nplease verify your account by entering the following code:\n\n{{ .VerificationCode }}{{ if .VerificationURL }}\n\nor clicking the following link:\n\n{{ .VerificationURL }}{{ end }}${expiry('code')}`,
    html: `<p>Hi,</p>\n<p>please verify your account by entering the following code:</p>\n<p>{{ .VerificationCode }}</p>\n{{- if .VerificationURL }}\n<p>or clicking the following link:</p>\n<p><a href="{{ .VerificationURL }}">{{ .VerificationURL }}</a></p>{{ end }}\n{{- if .ExpiresInMinutes }}\n<p>This code expires in {{ .ExpiresInMinutes }} minutes.</p>{{ end }}`,
  },
  verification_code_invalid: {
    subject: 'Someone tried to verify this email address',
    plaintext: unknownAddress('verify it'),
    html: html(unknownAddress('verify it')),
  },
  verification_valid: {
    subject: 'Please verify your email address',
    plaintext: `Hi,\n\nplease verify your account by clicking the following link:\n\n{{ .VerificationURL }}${expiry('link')}`,
    html: `<p>Hi,</p>\n<p>please verify your account by clicking the following link:</p>\n<p><a href="{{ .VerificationURL }}">{{ .VerificationURL }}</a></p>\n{{- if .ExpiresInMinutes }}\n<p>This link expires in {{ .ExpiresInMinutes }} minutes.</p>{{ end }}`,
  },
  verification_invalid: {
    subject: 'Someone tried to verify this email address',
    plaintext: unknownAddress('verify it'),
    html: html(unknownAddress('verify it')),
  },
  login_code_valid: codeTemplate(
    'Use code {{ .LoginCode }} to log in',
    'please log in to your account by entering the following code:',
    'LoginCode',
    'login',
  ),
  registration_code_valid: codeTemplate(
    'Use code {{ .RegistrationCode }} to complete your account registration',
    'please complete your account registration by entering the following code:',
    'RegistrationCode',
    'registration',
  ),
  stub: {
    subject: 'stub email subject {{ .Subject }}',
    plaintext: 'stub email body {{ .Body }}',
    html: '<p>stub email body {{ .Body }}</p>',
    sms: 'stub sms body {{ .Body }}',
  },
};

/** Where Kratos keeps each template type: `<group>/<valid|invalid>`, also the `courier.templates` keys. */
export function templateLocation(type: TemplateType): { group: string; validity: 'valid' | 'invalid' } {
  if (type === 'stub') return { group: 'stub', validity: 'valid' };
  const validity = type.endsWith('_invalid') ? 'invalid' : 'valid';
  return { group: type.replace(/_(in)?valid$/, ''), validity };
}
