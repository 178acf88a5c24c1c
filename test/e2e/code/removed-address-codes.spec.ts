import type { LoginFlow, RecoveryFlow } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, loginWithApi, uiMessageIds, uniqueEmail } from '../../support/self-service.js';
import { codeIn, mailTo, registeredUser, startMailServer, type MailServer } from '../recovery/mail-flows.js';

// Once an address is removed from an identity (settings profile change, admin PATCH), a code
// sent to it before must stop working: whoever kept the old mailbox must not recover the
// account, sign in, or verify the address if it is added back. Kratos deletes an address's codes
// with the address (ON DELETE CASCADE); Tessera checks at redemption that the identity still
// holds the address, in a row no younger than the code (libs/flow/codes/code-address.ts).

let server: MailServer;

beforeAll(async () => {
  server = await startMailServer({
    SELFSERVICE_METHODS_LINK_ENABLED: 'true',
    SELFSERVICE_METHODS_CODE_PASSWORDLESS_ENABLED: 'true',
  });
});

afterAll(async () => {
  await server?.stop();
});

async function changeEmailInSettings(token: string, email: string) {
  const { data: flow } = await server.frontend.createNativeSettingsFlow({ xSessionToken: token });
  const response = await server.frontend.updateSettingsFlow({
    flow: flow.id,
    xSessionToken: token,
    updateSettingsFlowBody: { method: 'profile', traits: { email } },
  });
  expect(response.status, JSON.stringify(response.data)).toBe(200);
  return response.data;
}

async function recoveryCodeFor(email: string): Promise<{ flowId: string; code: string }> {
  const { data: flow } = await server.frontend.createNativeRecoveryFlow();
  const before = server.sink.messages.length;
  const sent = await server.frontend.updateRecoveryFlow({
    flow: flow.id,
    updateRecoveryFlowBody: { method: 'code', email },
  });
  expect(sent.status).toBe(200);
  const code = codeIn(await mailTo(server.sink, email, before, /recover|access/i));
  return { flowId: flow.id, code };
}

function submitRecoveryCode(flowId: string, code: string) {
  return server.frontend.updateRecoveryFlow({
    flow: flowId,
    updateRecoveryFlowBody: { method: 'code', code },
  });
}

describe('a settings email change moves identifiers and addresses', () => {
  it('old email no longer signs in, new address unverified, whoami updated at once', async () => {
    const old = uniqueEmail('sane-old');
    const user = await registeredUser(server, old);
    const fresh = uniqueEmail('sane-new');
    await changeEmailInSettings(user.token, fresh);
    const { data: admin } = await server.identities.getIdentity({ id: user.identity.id });
    expect(admin.credentials?.password?.identifiers).toEqual([fresh]);
    expect(admin.credentials?.code?.identifiers).toEqual([fresh]);
    expect(admin.verifiable_addresses).toEqual([expect.objectContaining({ value: fresh, verified: false })]);
    expect(admin.recovery_addresses?.map((a) => a.value)).toEqual([fresh]);
    const oldLogin = await loginWithApi(server.frontend, old, GOOD_PASSWORD);
    expect(oldLogin.status).toBe(400);
    const whoami = await server.frontend.toSession({ xSessionToken: user.token });
    expect(whoami.data.identity?.traits).toEqual({ email: fresh });
  });
});

describe('codes and links sent to an address the identity no longer has', () => {
  it('a recovery code sent to the old email stops working after a settings email change', async () => {
    const old = uniqueEmail('rc-old');
    const user = await registeredUser(server, old);
    const { flowId, code } = await recoveryCodeFor(old);

    await changeEmailInSettings(user.token, uniqueEmail('rc-new'));

    const done = await submitRecoveryCode(flowId, code);
    const data = done.data as RecoveryFlow;
    // Kratos: the code was deleted with its recovery address -> 200, state sent_email, 4060006.
    expect(data.state, JSON.stringify(data)).not.toBe('passed_challenge');
    expect(uiMessageIds(data)).toEqual([4060006]);
  });

  it('a recovery code keeps working across a change that keeps its address', async () => {
    const email = uniqueEmail('rc-kept');
    const user = await registeredUser(server, email);
    const { flowId, code } = await recoveryCodeFor(email);
    const patched = await server.identities.patchIdentity({
      id: user.identity.id,
      jsonPatch: [{ op: 'add', path: '/metadata_public', value: { plan: 'pro' } }],
    });
    expect(patched.status).toBe(200);
    const done = await submitRecoveryCode(flowId, code);
    expect((done.data as RecoveryFlow).state, JSON.stringify(done.data)).toBe('passed_challenge');
  });

  it('a recovery code sent to the old email stops working after an admin PATCH of /traits/email', async () => {
    const old = uniqueEmail('rc-admin-old');
    const user = await registeredUser(server, old);
    const { flowId, code } = await recoveryCodeFor(old);

    const patched = await server.identities.patchIdentity({
      id: user.identity.id,
      jsonPatch: [{ op: 'replace', path: '/traits/email', value: uniqueEmail('rc-admin-new') }],
    });
    expect(patched.status).toBe(200);

    const done = await submitRecoveryCode(flowId, code);
    const data = done.data as RecoveryFlow;
    expect(data.state, JSON.stringify(data)).not.toBe('passed_challenge');
    expect(uiMessageIds(data)).toEqual([4060006]);
  });

  it('a login code sent to the old email stops signing in after a settings email change', async () => {
    const old = uniqueEmail('lc-old');
    const user = await registeredUser(server, old);
    const { data: flow } = await server.frontend.createNativeLoginFlow();
    const before = server.sink.messages.length;
    const sent = await server.frontend.updateLoginFlow({
      flow: flow.id,
      updateLoginFlowBody: { method: 'code', identifier: old, csrf_token: '' },
    });
    expect(sent.status).toBe(400);
    const code = codeIn(await mailTo(server.sink, old, before, /log in|login|sign/i));

    await changeEmailInSettings(user.token, uniqueEmail('lc-new'));

    const done = await server.frontend.updateLoginFlow({
      flow: flow.id,
      updateLoginFlowBody: { method: 'code', identifier: old, code, csrf_token: '' },
    });
    // Kratos re-resolves `identifier` (the old address) on submission: no account has it.
    expect(done.status, JSON.stringify(done.data)).not.toBe(200);
    expect((done.data as unknown as LoginFlow).ui?.messages?.length ?? 0).toBeGreaterThan(0);
  });

  it('a verification code sent to an address removed and added back must not verify the re-added row', async () => {
    const a = uniqueEmail('vc-a');
    const user = await registeredUser(server, a);
    await mailTo(server.sink, a, 0, /verif/i); // the registration's own verification mail
    const { data: flow } = await server.frontend.createNativeVerificationFlow();
    const before = server.sink.messages.length;
    const sent = await server.frontend.updateVerificationFlow({
      flow: flow.id,
      updateVerificationFlowBody: { method: 'code', email: a },
    });
    expect(sent.status).toBe(200);
    const code = codeIn(await mailTo(server.sink, a, before, /verif/i));
    await changeEmailInSettings(user.token, uniqueEmail('vc-b'));
    await changeEmailInSettings(user.token, a);
    const done = await server.frontend.updateVerificationFlow({
      flow: flow.id,
      updateVerificationFlowBody: { method: 'code', code },
    });
    const { data: admin } = await server.identities.getIdentity({ id: user.identity.id });
    // Kratos: the code went with the deleted address row (cascade); the re-added row stays unverified.
    expect(admin.verifiable_addresses?.[0]?.value).toBe(a);
    expect(admin.verifiable_addresses?.[0]?.verified, JSON.stringify(done.data)).toBe(false);
  });
});
