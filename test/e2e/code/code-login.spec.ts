import type { LoginFlow, RegistrationFlow } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertMatchesContract } from '../../support/contract.js';
import { sleep, uiMessageIds, uniqueEmail } from '../../support/self-service.js';
import {
  codeIn,
  mailsTo,
  mailTo,
  registeredUser,
  startMailServer,
  type MailServer,
} from '../recovery/mail-flows.js';

let server: MailServer;

beforeAll(async () => {
  server = await startMailServer({
    SELFSERVICE_METHODS_CODE_PASSWORDLESS_ENABLED: 'true',
    // The one-step form offers the code at once; profile_first's code path is in registration-profile-first.
    SELFSERVICE_FLOWS_REGISTRATION_STYLE: 'unified',
    SELFSERVICE_FLOWS_VERIFICATION_ENABLED: 'false',
    SELFSERVICE_FLOWS_REGISTRATION_AFTER_CODE_HOOKS: '[{"hook":"session"}]',
  });
});

afterAll(async () => {
  await server?.stop();
});

const names = (flow: { ui: { nodes: { attributes: unknown }[] } }) =>
  flow.ui.nodes.map(
    (n) => `${(n.attributes as { name: string }).name}=${(n.attributes as { value?: unknown }).value ?? ''}`,
  );

describe('passwordless login by code', () => {
  it('offers the code method, sends a code (400 + flow, 1010014) and signs in with it', async () => {
    const email = uniqueEmail('code-login');
    await registeredUser(server, email);
    const { data: flow } = await server.frontend.createNativeLoginFlow();
    expect(names(flow)).toContain('method=code');
    const before = server.sink.messages.length;
    const sent = await server.frontend.updateLoginFlow({
      flow: flow.id,
      updateLoginFlowBody: { method: 'code', identifier: email, csrf_token: '' },
    });
    expect(sent.status).toBe(400);
    const sentFlow = sent.data as unknown as LoginFlow;
    assertMatchesContract('loginFlow', sentFlow);
    expect(sentFlow.state).toBe('sent_email');
    expect(uiMessageIds(sentFlow)).toEqual([1010014]);
    expect(names(sentFlow)).toEqual(
      expect.arrayContaining(['code=', 'method=code', 'resend=code', `identifier=${email}`]),
    );
    const code = codeIn(await mailTo(server.sink, email, before, /log in/i));

    const wrong = await server.frontend.updateLoginFlow({
      flow: flow.id,
      updateLoginFlowBody: {
        method: 'code',
        identifier: email,
        code: code === '111111' ? '222222' : '111111',
        csrf_token: '',
      },
    });
    expect(wrong.status).toBe(400);
    expect(uiMessageIds(wrong.data as unknown as LoginFlow)).toEqual([4010008]);

    const done = await server.frontend.updateLoginFlow({
      flow: flow.id,
      updateLoginFlowBody: { method: 'code', identifier: email, code, csrf_token: '' },
    });
    expect(done.status, JSON.stringify(done.data)).toBe(200);
    expect(done.data.session.authentication_methods).toEqual([
      expect.objectContaining({ method: 'code', aal: 'aal1' }),
    ]);
    const whoami = await server.frontend.toSession({ xSessionToken: done.data.session_token! });
    expect(whoami.data.identity?.traits).toMatchObject({ email });
  });

  it('answers an unknown identifier the same and sends nothing', async () => {
    const unknown = uniqueEmail('code-nobody');
    const { data: flow } = await server.frontend.createNativeLoginFlow();
    const sent = await server.frontend.updateLoginFlow({
      flow: flow.id,
      updateLoginFlowBody: { method: 'code', identifier: unknown, csrf_token: '' },
    });
    expect(sent.status).toBe(400);
    expect(uiMessageIds(sent.data as unknown as LoginFlow)).toEqual([1010014]);
    await sleep(500);
    expect(mailsTo(server.sink, unknown)).toHaveLength(0);
  });
});

describe('passwordless registration by code', () => {
  it('sends a registration code (1040005), then creates the identity with its address verified', async () => {
    const email = uniqueEmail('code-signup');
    const { data: flow } = await server.frontend.createNativeRegistrationFlow();
    expect(names(flow)).toContain('method=code');
    const before = server.sink.messages.length;
    const sent = await server.frontend.updateRegistrationFlow({
      flow: flow.id,
      updateRegistrationFlowBody: { method: 'code', traits: { email } },
    });
    expect(sent.status).toBe(400);
    const sentFlow = sent.data as unknown as RegistrationFlow;
    assertMatchesContract('registrationFlow', sentFlow);
    expect(sentFlow.state).toBe('sent_email');
    expect(uiMessageIds(sentFlow)).toEqual([1040005]);
    const code = codeIn(await mailTo(server.sink, email, before, /registration/i));

    const changed = await server.frontend.updateRegistrationFlow({
      flow: flow.id,
      updateRegistrationFlowBody: { method: 'code', traits: { email: uniqueEmail('other') }, code },
    });
    expect(changed.status).toBe(400);
    expect(uiMessageIds(changed.data as unknown as RegistrationFlow)).toEqual([4000036]);

    const done = await server.frontend.updateRegistrationFlow({
      flow: flow.id,
      updateRegistrationFlowBody: { method: 'code', traits: { email }, code },
    });
    expect(done.status, JSON.stringify(done.data)).toBe(200);
    expect(done.data.identity.traits).toMatchObject({ email });
    expect(done.data.identity.verifiable_addresses?.[0]).toMatchObject({
      verified: true,
      status: 'completed',
    });
    expect(done.data.session?.authentication_methods?.[0]).toMatchObject({ method: 'code', aal: 'aal1' });
  });
});
