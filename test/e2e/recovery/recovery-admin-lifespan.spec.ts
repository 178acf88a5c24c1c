import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep, uniqueEmail } from '../../support/self-service.js';
import { registeredUser, startMailServer, type MailServer } from './mail-flows.js';

// An admin's recovery code lives as long as the `expires_in` it was created with (Kratos'
// CreateRecoveryCode{ExpiresIn}), even past the code method's own lifespan: an invitation made
// to last a day must not stop working after the hour a mailed code gets.

let server: MailServer;

beforeAll(async () => {
  server = await startMailServer({ SELFSERVICE_METHODS_CODE_CONFIG_LIFESPAN: '2s' });
});

afterAll(async () => {
  await server?.stop();
});

describe('an admin recovery code', () => {
  it('works until its expires_in, past the code method lifespan', async () => {
    const user = await registeredUser(server, uniqueEmail('admin-lifespan'));
    const created = await server.identities.createRecoveryCodeForIdentity({
      createRecoveryCodeForIdentityBody: {
        identity_id: user.identity.id,
        flow_type: 'api',
        expires_in: '1h',
      },
    });
    expect(created.status, JSON.stringify(created.data)).toBe(201);
    const expiresIn = Date.parse(String(created.data.expires_at)) - Date.now();
    expect(expiresIn).toBeGreaterThan(59 * 60_000);
    const flowId = new URL(created.data.recovery_link).searchParams.get('flow')!;
    await sleep(3_000);
    const used = await server.frontend.updateRecoveryFlow({
      flow: flowId,
      updateRecoveryFlowBody: { method: 'code', code: created.data.recovery_code },
    });
    expect(used.status, JSON.stringify(used.data)).toBe(200);
    expect(used.data.state).toBe('passed_challenge');
  });
});
