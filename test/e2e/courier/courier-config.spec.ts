import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { freePort, TESSERA_BIN } from '../../support/tessera-process.js';

const run = promisify(execFile);

async function serveFails(env: Record<string, string>, cwd: string) {
  const failure = await run(process.execPath, [TESSERA_BIN, 'serve', '--dev'], {
    cwd,
    env: {
      PATH: process.env['PATH'] ?? '',
      DSN: 'memory',
      SERVE_PUBLIC_PORT: String(await freePort()),
      SERVE_ADMIN_PORT: String(await freePort()),
      ...env,
    },
    timeout: 30_000,
  }).then(
    () => null,
    (error: { code: number; stderr: string }) => error,
  );
  expect(failure).not.toBeNull();
  return failure!;
}

describe('courier templates are checked when tessera starts', () => {
  it('stops with one config line naming the template and line of an unsupported construct', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'tessera-templates-'));
    mkdirSync(join(cwd, 'templates', 'recovery_code', 'valid'), { recursive: true });
    writeFileSync(
      join(cwd, 'templates', 'recovery_code', 'valid', 'email.body.plaintext.gotmpl'),
      'Hi,\n{{ range .Codes }}{{ . }}{{ end }}\n',
    );
    const failure = await serveFails(
      {
        COURIER_TEMPLATE_OVERRIDE_PATH: './templates',
        COURIER_TEMPLATES: JSON.stringify({
          login_code: {
            valid: { email: { subject: `base64://${Buffer.from('{{ template "x" }}').toString('base64')}` } },
          },
        }),
      },
      cwd,
    );
    expect(failure.code).toBe(1);
    const lines = failure.stderr.trim().split('\n');
    expect(lines).toEqual([
      `config: courier.template_override_path (${join(cwd, 'templates', 'recovery_code', 'valid', 'email.body.plaintext.gotmpl')}): line 2: unsupported template action "{{ range .Codes }}"`,
      'config: courier.templates.login_code.valid.email.subject: line 1: unsupported template action "{{ template "x" }}"',
    ]);
  });
});
