import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTessera, type TesseraProcess } from '../../support/tessera-process.js';

const COOKIE_SECRET = 'cookie-secret-that-must-never-be-logged';
const PASSWORD = 'plaintext-password-that-must-never-be-logged';

let tessera: TesseraProcess;

beforeAll(async () => {
  tessera = await startTessera({ env: { SECRETS_COOKIE: COOKIE_SECRET, LOG_LEVEL: 'trace' } });
});

afterAll(async () => {
  await tessera?.stop();
});

describe('logs', () => {
  it('are JSON lines with a request id, and never carry passwords, hashes, tokens or secrets', async () => {
    const response = await fetch(`${tessera.adminUrl}/admin/identities?include_credential=password`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Request-ID': 'req-logging-1',
        Authorization: 'Bearer ory_st_abc123',
      },
      body: JSON.stringify({
        schema_id: 'default',
        traits: { email: 'logged@example.org' },
        credentials: { password: { config: { password: PASSWORD } } },
      }),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-request-id')).toBe('req-logging-1');
    const broken = await fetch(`${tessera.adminUrl}/admin/identities`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: `{"credentials": {"password": {"config": {"password": "${PASSWORD}"`,
    });
    expect(broken.status).toBe(400);
    await new Promise((resolve) => setTimeout(resolve, 100));

    const output = tessera.output();
    const lines = output.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    expect(
      tessera.logs().some((line) => line['request_id'] === 'req-logging-1' && line['status'] === 201),
    ).toBe(true);
    for (const secret of [COOKIE_SECRET, PASSWORD, '$argon2id$', 'ory_st_abc123']) {
      expect(output, `log output contains ${secret}`).not.toContain(secret);
    }
  });
});
