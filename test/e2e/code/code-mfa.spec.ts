import type { LoginFlow } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, uiMessageIds, uniqueEmail } from '../../support/self-service.js';
import { codeIn, mailTo, registeredUser, startMailServer, type MailServer } from '../recovery/mail-flows.js';

let server: MailServer;

beforeAll(async () => {
  server = await startMailServer({
    SELFSERVICE_METHODS_CODE_MFA_ENABLED: 'true',
    SELFSERVICE_FLOWS_VERIFICATION_ENABLED: 'false',
  });
});

afterAll(async () => {
  await server?.stop();
});

describe('a code as second factor', () => {
  it('an aal2 login flow offers the code address; the code lifts the session to aal2', async () => {
    const email = uniqueEmail('code-mfa');
    const user = await registeredUser(server, email);
    // With code MFA on, the emailed code is a second factor the identity has: an aal1 session
    // is not enough for whoami (required_aal: highest_available).
    expectError(await server.frontend.toSession({ xSessionToken: user.token }), 403, 'session_aal2_required');
    const { data: flow, status } = await server.frontend.createNativeLoginFlow({
      aal: 'aal2',
      xSessionToken: user.token,
    });
    expect(status).toBe(200);
    const address = flow.ui.nodes.find((n) => (n.attributes as { name: string }).name === 'address');
    expect(address?.attributes).toMatchObject({ type: 'submit', value: email });
    expect(address?.meta.label?.id).toBe(1010023);

    const before = server.sink.messages.length;
    const sent = await server.frontend.updateLoginFlow({
      flow: flow.id,
      xSessionToken: user.token,
      updateLoginFlowBody: { method: 'code', address: email, csrf_token: '' },
    });
    expect(sent.status).toBe(400);
    expect(uiMessageIds(sent.data as unknown as LoginFlow)).toEqual([1010014]);
    const code = codeIn(await mailTo(server.sink, email, before, /log in/i));

    const done = await server.frontend.updateLoginFlow({
      flow: flow.id,
      xSessionToken: user.token,
      updateLoginFlowBody: { method: 'code', code, csrf_token: '' },
    });
    expect(done.status, JSON.stringify(done.data)).toBe(200);
    expect(done.data.session.authenticator_assurance_level).toBe('aal2');
    expect(done.data.session.authentication_methods?.map((m) => [m.method, m.aal])).toEqual([
      ['password', 'aal1'],
      ['code', 'aal2'],
    ]);
    const whoami = await server.frontend.toSession({ xSessionToken: user.token });
    expect(whoami.status).toBe(200);
    expect(whoami.data.authenticator_assurance_level).toBe('aal2');
  });

  it('an address that is not the identity’s is refused and gets no message', async () => {
    const user = await registeredUser(server, uniqueEmail('code-mfa-other'));
    const { data: flow } = await server.frontend.createNativeLoginFlow({
      aal: 'aal2',
      xSessionToken: user.token,
    });
    const stranger = uniqueEmail('not-mine');
    const sent = await server.frontend.updateLoginFlow({
      flow: flow.id,
      xSessionToken: user.token,
      updateLoginFlowBody: { method: 'code', address: stranger, csrf_token: '' },
    });
    expect(sent.status).toBe(400);
    expect(uiMessageIds(sent.data as unknown as LoginFlow)).toEqual([4000035]);
  });
});
