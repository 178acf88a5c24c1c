import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/index.js';
import { TEMPLATE_TYPES } from './courier.port.js';
import { CourierTemplates } from './courier-templates.js';

const model = {
  To: 'a@example.com',
  RecoveryCode: '111111',
  RecoveryURL: 'https://app.test/recover?token=a&b',
  VerificationCode: '222222',
  VerificationURL: 'https://app.test/verify?code=1',
  LoginCode: '333333',
  RegistrationCode: '444444',
  ExpiresInMinutes: 15,
  Identity: { traits: { email: 'a@example.com' } },
};

describe('CourierTemplates', () => {
  it('renders every built-in email and SMS with the values of its model', async () => {
    const templates = await CourierTemplates.load({ cwd: process.cwd() });
    for (const type of TEMPLATE_TYPES) {
      const email = templates.render(type, 'email', model);
      expect(email.subject.length, type).toBeGreaterThan(0);
      expect(email.body.length, type).toBeGreaterThan(0);
      expect(email.bodyHtml, type).toMatch(/<p>/);
      expect(email.body, type).not.toContain('{{');
    }
    expect(templates.render('recovery_code_valid', 'email', model).subject).toBe(
      'Use code 111111 to recover access to your account',
    );
    expect(templates.render('verification_code_valid', 'email', model).body).toContain(
      'https://app.test/verify?code=1',
    );
    expect(templates.render('recovery_valid', 'email', model).bodyHtml).toContain(
      'href="https://app.test/recover?token=a&amp;b"',
    );
    expect(templates.render('recovery_code_invalid', 'email', model).subject).toBe(
      'Account access attempted',
    );
    expect(templates.render('login_code_valid', 'sms', model)).toEqual({
      subject: '',
      body: 'Your login code is: 333333',
      bodyHtml: null,
    });
  });

  it('takes courier.templates (base64, file, inline) over template_override_path over built-ins', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'courier-templates-'));
    mkdirSync(join(dir, 'recovery_code', 'valid'), { recursive: true });
    writeFileSync(
      join(dir, 'recovery_code', 'valid', 'email.subject.gotmpl'),
      'dir subject {{ .RecoveryCode }}',
    );
    writeFileSync(join(dir, 'recovery_code', 'valid', 'email.body.gotmpl'), '<b>dir {{ .To }}</b>');
    writeFileSync(join(dir, 'plain.gotmpl'), 'file body for {{ .Identity.traits.email }}');
    const templates = await CourierTemplates.load({
      cwd: dir,
      overridePath: dir,
      configured: {
        recovery_code: {
          valid: {
            email: {
              subject: `base64://${Buffer.from('config subject {{ .RecoveryCode }}').toString('base64')}`,
              body: { plaintext: 'file://plain.gotmpl' },
            },
          },
        },
        login_code: { valid: { email: { subject: 'inline {{- " " -}}' } } },
      },
    }).catch((error: unknown) => error);
    // The inline login subject uses a string literal, which is not supported: refused at load.
    expect(templates).toBeInstanceOf(ConfigError);
    expect((templates as ConfigError).problems).toEqual([
      'courier.templates.login_code.valid.email.subject: line 1: unsupported template action "{{ " " }}"',
    ]);

    const loaded = await CourierTemplates.load({
      cwd: dir,
      overridePath: dir,
      configured: {
        recovery_code: {
          valid: {
            email: {
              subject: `base64://${Buffer.from('config subject {{ .RecoveryCode }}').toString('base64')}`,
              body: { plaintext: 'file://plain.gotmpl' },
            },
          },
        },
        login_code: { valid: { email: { subject: 'inline {{ .LoginCode }}' } } },
      },
    });
    expect(loaded.render('recovery_code_valid', 'email', model)).toEqual({
      subject: 'config subject 111111',
      body: 'file body for a@example.com',
      bodyHtml: '<b>dir a@example.com</b>',
    });
    expect(loaded.render('login_code_valid', 'email', model).subject).toBe('inline 333333');
  });

  it('names a template file that cannot be read', async () => {
    const error = await CourierTemplates.load({
      cwd: process.cwd(),
      configured: { verification: { invalid: { email: { subject: 'file:///nonexistent/subject.gotmpl' } } } },
    }).catch((e: unknown) => e);
    expect((error as ConfigError).problems).toEqual([
      'courier.templates.verification.invalid.email.subject: cannot load template file:///nonexistent/subject.gotmpl (ENOENT)',
    ]);
  });
});
