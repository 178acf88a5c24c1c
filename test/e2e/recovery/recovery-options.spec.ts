import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertMatchesContract } from '../../support/contract.js';
import { expectError, loginWithApi, sleep, uiMessageIds, uniqueEmail } from '../../support/self-service.js';
import {
  codeIn,
  CookieJar,
  linkIn,
  mailTo,
  registeredUser,
  SETTINGS_UI,
  startMailServer,
  textOf,
  type MailServer,
} from './mail-flows.js';

describe('recovery by link, telling unknown addresses', () => {
  let server: MailServer;
  beforeAll(async () => {
    server = await startMailServer({
      SELFSERVICE_FLOWS_RECOVERY_USE: 'link',
      SELFSERVICE_METHODS_LINK_ENABLED: 'true',
      SELFSERVICE_FLOWS_RECOVERY_NOTIFY_UNKNOWN_RECIPIENTS: 'true',
    });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('mails a link that signs the browser in and opens the settings UI', async () => {
    const email = uniqueEmail('link');
    await registeredUser(server, email);
    const { data: flow } = await server.frontend.createNativeRecoveryFlow();
    expect(
      flow.ui.nodes.find((n) => (n.attributes as { name: string }).name === 'method')?.attributes,
    ).toMatchObject({
      value: 'link',
    });
    const before = server.sink.messages.length;
    const sent = await server.frontend.updateRecoveryFlow({
      flow: flow.id,
      updateRecoveryFlowBody: { method: 'link', email },
    });
    expect(sent.status, JSON.stringify(sent.data)).toBe(200);
    assertMatchesContract('recoveryFlow', sent.data);
    expect(sent.data.state).toBe('sent_email');
    expect(uiMessageIds(sent.data)).toEqual([1060002]);
    const link = linkIn(
      await mailTo(server.sink, email, before, /recover|access/i),
      '/self-service/recovery',
    );
    expect(new URL(link).searchParams.get('flow')).toBe(flow.id);
    expect(new URL(link).searchParams.get('token')).toBeTruthy();

    const jar = new CookieJar();
    const followed = await jar.fetch(link, { headers: { Accept: 'text/html' } });
    expect(followed.status).toBe(200);
    // An API flow answers JSON with the session token and the settings flow.
    const body = (await followed.json()) as { state: string; continue_with: { action: string }[] };
    expect(body.state).toBe('passed_challenge');
    expect(body.continue_with.map((c) => c.action)).toEqual(['set_ory_session_token', 'show_settings_ui']);
  });

  it('a browser flow link ends at the settings UI', async () => {
    const email = uniqueEmail('link-browser');
    await registeredUser(server, email);
    const jar = new CookieJar();
    const init = await jar.fetch(`${server.publicUrl}/self-service/recovery/browser`, {
      headers: { Accept: 'application/json' },
    });
    const flow = (await init.json()) as {
      id: string;
      ui: { action: string; nodes: { attributes: { name: string; value?: string } }[] };
    };
    const csrf = flow.ui.nodes.find((n) => n.attributes.name === 'csrf_token')!.attributes.value!;
    const before = server.sink.messages.length;
    const sent = await jar.fetch(flow.ui.action, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' },
      body: new URLSearchParams({ csrf_token: csrf, method: 'link', email }).toString(),
    });
    expect(sent.status).toBe(303);
    const link = linkIn(
      await mailTo(server.sink, email, before, /recover|access/i),
      '/self-service/recovery',
    );
    const followed = await jar.fetch(link, { headers: { Accept: 'text/html' } });
    expect(followed.status).toBe(303);
    expect(followed.headers.get('location')!.startsWith(`${SETTINGS_UI}?flow=`)).toBe(true);
    expect(jar.get('ory_kratos_session')).toBeTruthy();
  });

  it('with notify_unknown_recipients, an unknown address is told no account exists', async () => {
    const unknown = uniqueEmail('stranger');
    const { data: flow } = await server.frontend.createNativeRecoveryFlow();
    const before = server.sink.messages.length;
    const sent = await server.frontend.updateRecoveryFlow({
      flow: flow.id,
      updateRecoveryFlowBody: { method: 'link', email: unknown },
    });
    expect(sent.status).toBe(200);
    expect(uiMessageIds(sent.data)).toEqual([1060002]);
    const mail = await mailTo(server.sink, unknown, before, /recover|access/i);
    expect(textOf(mail)).not.toMatch(/self-service\/recovery\?flow=.*token=/);
  });
});

describe('recovery with a short lifespan and revoke_active_sessions', () => {
  let server: MailServer;
  beforeAll(async () => {
    server = await startMailServer({
      SELFSERVICE_FLOWS_RECOVERY_LIFESPAN: '5s',
      SELFSERVICE_FLOWS_RECOVERY_NOTIFY_UNKNOWN_RECIPIENTS: 'true',
      SELFSERVICE_FLOWS_RECOVERY_AFTER_HOOKS: '[{"hook":"revoke_active_sessions"}]',
    });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('ends every other session of the recovered identity', async () => {
    const email = uniqueEmail('revoke');
    const user = await registeredUser(server, email);
    const login = await loginWithApi(server.frontend, email, user.password);
    expect(login.status).toBe(200);
    const other = (login.data as { session_token: string }).session_token;
    expect((await server.frontend.toSession({ xSessionToken: other })).status).toBe(200);

    const { data: flow } = await server.frontend.createNativeRecoveryFlow();
    const before = server.sink.messages.length;
    await server.frontend.updateRecoveryFlow({
      flow: flow.id,
      updateRecoveryFlowBody: { method: 'code', email },
    });
    const code = codeIn(await mailTo(server.sink, email, before, /recover|access/i));
    const done = await server.frontend.updateRecoveryFlow({
      flow: flow.id,
      updateRecoveryFlowBody: { method: 'code', code },
    });
    expect(done.status, JSON.stringify(done.data)).toBe(200);
    const token = (done.data.continue_with as { ory_session_token?: string }[])[0]!.ory_session_token!;
    expect((await server.frontend.toSession({ xSessionToken: token })).status).toBe(200);
    expect((await server.frontend.toSession({ xSessionToken: user.token })).status).toBe(401);
    expect((await server.frontend.toSession({ xSessionToken: other })).status).toBe(401);
  });

  it('a code submitted after the flow expired gets a 410 naming a fresh flow', async () => {
    const email = uniqueEmail('expire');
    await registeredUser(server, email);
    const { data: flow } = await server.frontend.createNativeRecoveryFlow();
    const before = server.sink.messages.length;
    await server.frontend.updateRecoveryFlow({
      flow: flow.id,
      updateRecoveryFlowBody: { method: 'code', email },
    });
    const code = codeIn(await mailTo(server.sink, email, before, /recover|access/i));
    await sleep(Math.max(0, new Date(flow.expires_at).getTime() - Date.now()) + 300);
    const late = await server.frontend.updateRecoveryFlow({
      flow: flow.id,
      updateRecoveryFlowBody: { method: 'code', code },
    });
    const error = expectError(late, 410, 'self_service_flow_expired');
    const fresh = (error as unknown as { use_flow_id: string }).use_flow_id;
    expect(fresh).toMatch(/^[0-9a-f-]{36}$/);
    const replacement = await server.frontend.getRecoveryFlow({ id: fresh });
    expect(uiMessageIds(replacement.data)).toEqual([4060005]);
    // The old code does not work on the new flow either.
    const moved = await server.frontend.updateRecoveryFlow({
      flow: fresh,
      updateRecoveryFlowBody: { method: 'code', code },
    });
    expect(uiMessageIds(moved.data)).toEqual([4060006]);
  });

  it('with notify_unknown_recipients, an unknown address gets a message without a code', async () => {
    const unknown = uniqueEmail('stranger-code');
    const { data: flow } = await server.frontend.createNativeRecoveryFlow();
    const before = server.sink.messages.length;
    const sent = await server.frontend.updateRecoveryFlow({
      flow: flow.id,
      updateRecoveryFlowBody: { method: 'code', email: unknown },
    });
    expect(uiMessageIds(sent.data)).toEqual([1060003]);
    const mail = await mailTo(server.sink, unknown, before, /recover|access/i);
    expect(textOf(mail)).not.toMatch(/\b\d{6}\b/);
  });
});

describe('recovery codes under methods.code.config (lifespan 2s, max_submissions 2)', () => {
  let server: MailServer;
  beforeAll(async () => {
    server = await startMailServer({
      SELFSERVICE_METHODS_CODE_CONFIG_LIFESPAN: '2s',
      SELFSERVICE_METHODS_CODE_CONFIG_MAX_SUBMISSIONS: '2',
    });
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function codeFor(email: string): Promise<{ flowId: string; code: string }> {
    const { data: flow } = await server.frontend.createNativeRecoveryFlow();
    const before = server.sink.messages.length;
    await server.frontend.updateRecoveryFlow({
      flow: flow.id,
      updateRecoveryFlowBody: { method: 'code', email },
    });
    return { flowId: flow.id, code: codeIn(await mailTo(server.sink, email, before, /recover|access/i)) };
  }
  const submit = (flow: string, code: string) =>
    server.frontend.updateRecoveryFlow({ flow, updateRecoveryFlowBody: { method: 'code', code } });

  it('refuses a code past its own lifespan while its flow still runs, and takes a fresh one', async () => {
    const email = uniqueEmail('code-lifespan');
    await registeredUser(server, email);
    const stale = await codeFor(email);
    await sleep(2_300);
    const late = await submit(stale.flowId, stale.code);
    expect(late.status).toBe(200);
    expect(late.data.state).toBe('sent_email');
    expect(uiMessageIds(late.data)).toEqual([4060006]);

    const fresh = await codeFor(email);
    const done = await submit(fresh.flowId, fresh.code);
    expect(done.status, JSON.stringify(done.data)).toBe(200);
    expect(done.data.state).toBe('passed_challenge');
  });

  it('spends the flow after max_submissions codes, refusing even the right one', async () => {
    const email = uniqueEmail('code-submissions');
    await registeredUser(server, email);
    const { flowId, code } = await codeFor(email);
    const wrong = code === '999999' ? '999998' : '999999';
    expect(uiMessageIds((await submit(flowId, wrong)).data)).toEqual([4060006]);
    expect(uiMessageIds((await submit(flowId, wrong)).data)).toEqual([4060006]);
    const right = await submit(flowId, code);
    expect(right.data.state).toBe('sent_email');
    expect(uiMessageIds(right.data)).toEqual([4060006]);
  });
});
