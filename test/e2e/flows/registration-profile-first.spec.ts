import type { RegistrationFlow, UiNode, UpdateRegistrationFlowBody } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertMatchesContract } from '../../support/contract.js';
import { CookieJar, setCookieLines } from '../../support/cookie-jar.js';
import {
  bodyOf,
  csrfTokenOf,
  DEFAULT_RETURN_URL,
  ERROR_UI,
  fetchFlow,
  GOOD_PASSWORD,
  initBrowserFlow,
  nodeMessages,
  nodeNamed,
  postForm,
  postJson,
  REGISTRATION_UI,
  startFlowServer,
  uiMessageIds,
  uniqueEmail,
  type FlowServer,
} from '../../support/self-service.js';
import { codeIn, mailTo, type MailServer, startMailServer } from '../recovery/mail-flows.js';

// `profile_first`, Kratos' default registration style when `style` is not set: the traits first
// (`method=profile`), then every credential method for them, with `screen=previous` to go back.

const CHOOSE_CREDENTIALS = 1040009;

let server: MailServer;

beforeAll(async () => {
  const rp = JSON.stringify({ id: '127.0.0.1', display_name: 'Tessera', origins: ['http://127.0.0.1:4455'] });
  server = await startMailServer({
    SELFSERVICE_METHODS_CODE_PASSWORDLESS_ENABLED: 'true',
    SELFSERVICE_METHODS_PASSKEY_ENABLED: 'true',
    SELFSERVICE_METHODS_PASSKEY_CONFIG_RP: rp,
    SELFSERVICE_FLOWS_VERIFICATION_ENABLED: 'false',
    SELFSERVICE_FLOWS_REGISTRATION_AFTER_CODE_HOOKS: '[{"hook":"session"}]',
    SELFSERVICE_FLOWS_REGISTRATION_AFTER_PASSWORD_HOOKS: '[{"hook":"session"}]',
  });
});

afterAll(async () => {
  await server?.stop();
});

/** Each node as `group:name=value(type)`, the way a UI lays the form out. */
const layout = (flow: Pick<RegistrationFlow, 'ui'>) =>
  flow.ui.nodes.map((n: UiNode) => {
    const a = n.attributes as { name?: string; type?: string; value?: unknown };
    const value = a.type === 'submit' ? `=${String(a.value)}` : '';
    return `${n.group}:${a.name}${value}(${a.type})`;
  });

const labelId = (flow: Pick<RegistrationFlow, 'ui'>, name: string, value: string) =>
  flow.ui.nodes.find((n) => {
    const a = n.attributes as { name?: string; value?: unknown };
    return a.name === name && a.value === value;
  })?.meta.label?.id;

const PROFILE_SCREEN = [
  'default:csrf_token(hidden)',
  'default:traits.email(email)',
  'default:traits.name.first(text)',
  'default:traits.name.last(text)',
  'profile:method=profile(submit)',
];

async function apiFlow(): Promise<RegistrationFlow> {
  const response = await server.frontend.createNativeRegistrationFlow();
  expect(response.status).toBe(200);
  assertMatchesContract('registrationFlow', response.data);
  return response.data;
}

async function submitApi(flowId: string, body: Record<string, unknown>) {
  const response = await server.frontend.updateRegistrationFlow({
    flow: flowId,
    updateRegistrationFlowBody: body as unknown as UpdateRegistrationFlowBody,
  });
  return {
    status: response.status,
    data: response.data as unknown,
    flow: bodyOf<RegistrationFlow>(response),
  };
}

/** A step of the two-step form: 400 with the same flow, valid against the contract. */
function step(response: { status: number; data: unknown; flow: RegistrationFlow }, flowId: string) {
  expect(response.status, JSON.stringify(response.data)).toBe(400);
  assertMatchesContract('registrationFlow', response.data);
  expect(response.flow.id).toBe(flowId);
  expect(response.flow.state).toBe('choose_method');
  return response.flow;
}

describe('profile_first over the API (native apps)', () => {
  it('starts with the traits only and the profile button labelled "Sign up"', async () => {
    const flow = await apiFlow();
    expect(flow.state).toBe('choose_method');
    expect(layout(flow)).toEqual(PROFILE_SCREEN);
    expect(labelId(flow, 'method', 'profile')).toBe(1040001);
    expect(flow.ui.messages ?? []).toEqual([]);
  });

  it('refuses traits the schema rejects, on the trait node, and stays on the first screen', async () => {
    const flow = await apiFlow();
    const invalid = step(
      await submitApi(flow.id, { method: 'profile', traits: { email: 'not-mail' } }),
      flow.id,
    );
    expect(layout(invalid)).toEqual(PROFILE_SCREEN);
    expect(nodeMessages(invalid, 'traits.email').map((m) => m.id)).toEqual([4000040]);
    expect((nodeNamed(invalid, 'traits.email').attributes as { value?: unknown }).value).toBe('not-mail');
    const missing = step(await submitApi(flow.id, { method: 'profile' }), flow.id);
    expect(nodeMessages(missing, 'traits.email').map((m) => m.id)).toEqual([4000002]);
  });

  it('offers every credential method for valid traits, the traits hidden, and a way back', async () => {
    const flow = await apiFlow();
    const email = uniqueEmail('two-step');
    const chosen = step(await submitApi(flow.id, { method: 'profile', traits: { email } }), flow.id);
    expect(uiMessageIds(chosen)).toEqual([CHOOSE_CREDENTIALS]);
    expect(chosen.active).toBeUndefined();
    expect(layout(chosen)).toEqual([
      'default:csrf_token(hidden)',
      'default:traits.email(hidden)',
      'password:password(password)',
      'default:traits.name.first(hidden)',
      'default:traits.name.last(hidden)',
      'profile:screen=previous(submit)',
      'password:method=password(submit)',
      'code:method=code(submit)',
    ]);
    expect((nodeNamed(chosen, 'traits.email').attributes as { value?: unknown }).value).toBe(email);
    expect(labelId(chosen, 'screen', 'previous')).toBe(1040008);

    const back = step(await submitApi(flow.id, { screen: 'previous', traits: { email } }), flow.id);
    expect(layout(back)).toEqual(PROFILE_SCREEN);
    expect((nodeNamed(back, 'traits.email').attributes as { value?: unknown }).value).toBe(email);
    expect(back.ui.messages ?? []).toEqual([]);

    step(await submitApi(flow.id, { method: 'profile', traits: { email } }), flow.id);
    const done = await submitApi(flow.id, { method: 'password', traits: { email }, password: GOOD_PASSWORD });
    expect(done.status, JSON.stringify(done.data)).toBe(200);
    assertMatchesContract('successfulNativeRegistration', done.data);
    const registered = done.data as { session_token?: string; identity: { traits: unknown } };
    expect(registered.identity.traits).toEqual({ email });
    expect(registered.session_token).toBeTruthy();
  });

  it('still signs up in one step with method=password, traits and password, as Kratos does', async () => {
    const flow = await apiFlow();
    const email = uniqueEmail('one-step');
    const done = await submitApi(flow.id, { method: 'password', traits: { email }, password: GOOD_PASSWORD });
    expect(done.status, JSON.stringify(done.data)).toBe(200);
    expect((done.data as { identity: { traits: unknown } }).identity.traits).toEqual({ email });
  });

  it('takes the deprecated method=profile:back as screen=previous', async () => {
    const flow = await apiFlow();
    const email = uniqueEmail('legacy-back');
    step(await submitApi(flow.id, { method: 'profile', traits: { email } }), flow.id);
    const back = step(await submitApi(flow.id, { method: 'profile:back', traits: { email } }), flow.id);
    expect(layout(back)).toEqual(PROFILE_SCREEN);
  });

  it('sends a code from the second screen, goes back to the methods, and signs up by code', async () => {
    const flow = await apiFlow();
    const email = uniqueEmail('two-step-code');
    step(await submitApi(flow.id, { method: 'profile', traits: { email } }), flow.id);
    const first = server.sink.messages.length;
    const sent = await submitApi(flow.id, { method: 'code', traits: { email } });
    // The first code is mailed before going back, so that the second mail is told apart.
    await mailTo(server.sink, email, first, /./);
    expect(sent.status).toBe(400);
    expect(sent.flow.state).toBe('sent_email');
    expect(layout(sent.flow)).toContain('profile:screen=credential-selection(submit)');
    expect(labelId(sent.flow, 'screen', 'credential-selection')).toBe(1040008);

    const methods = step(
      await submitApi(flow.id, { method: 'code', screen: 'credential-selection', traits: { email } }),
      flow.id,
    );
    expect(uiMessageIds(methods)).toEqual([CHOOSE_CREDENTIALS]);
    expect(layout(methods)).toContain('password:method=password(submit)');
    expect(layout(methods)).not.toContain('code:code(text)');

    const before = server.sink.messages.length;
    const again = await submitApi(flow.id, { method: 'code', traits: { email } });
    expect(again.flow.state).toBe('sent_email');
    const code = codeIn(await mailTo(server.sink, email, before, /./));
    const done = await submitApi(flow.id, { method: 'code', traits: { email }, code });
    expect(done.status, JSON.stringify(done.data)).toBe(200);
    expect((done.data as { identity: { traits: unknown } }).identity.traits).toEqual({ email });
  });

  it('refuses a screen it does not know with a message and no step', async () => {
    const flow = await apiFlow();
    const refused = step(
      await submitApi(flow.id, {
        method: 'profile',
        screen: 'elsewhere',
        traits: { email: uniqueEmail('x') },
      }),
      flow.id,
    );
    expect(uiMessageIds(refused)).toEqual([4000001]);
    expect(layout(refused)).toEqual(PROFILE_SCREEN);
  });
});

describe('profile_first in the browser (HTML forms)', () => {
  it('posts the traits, is sent back to the UI with the methods, and signs up with a password', async () => {
    const jar = new CookieJar();
    const { flowId } = await initBrowserFlow(jar, server.publicUrl, 'registration');
    const first = (await fetchFlow(jar, server.publicUrl, 'registration', flowId))
      .body as unknown as RegistrationFlow;
    expect(layout(first)).toEqual(PROFILE_SCREEN);
    const email = uniqueEmail('form-two-step');
    const csrf = csrfTokenOf(first);

    const withoutCsrf = await postForm(jar, first.ui.action, { method: 'profile', 'traits.email': email });
    expect(withoutCsrf.status).toBe(303);
    const refusedAt = new URL(withoutCsrf.headers.get('location')!);
    expect(`${refusedAt.origin}${refusedAt.pathname}`).toBe(ERROR_UI);

    const posted = await postForm(jar, first.ui.action, {
      csrf_token: csrf,
      method: 'profile',
      'traits.email': email,
    });
    expect(posted.status).toBe(303);
    expect(posted.headers.get('location')).toBe(`${REGISTRATION_UI}?flow=${flowId}`);
    const second = (await fetchFlow(jar, server.publicUrl, 'registration', flowId))
      .body as unknown as RegistrationFlow;
    assertMatchesContract('registrationFlow', second);
    expect(uiMessageIds(second)).toEqual([CHOOSE_CREDENTIALS]);
    expect(layout(second)).toEqual(
      expect.arrayContaining([
        'default:traits.email(hidden)',
        'password:method=password(submit)',
        'code:method=code(submit)',
        // Kratos' PopulateRegistrationMethodCredentials: the creation options and the trigger at
        // once, the traits being known; no `method=passkey` round.
        'passkey:passkey_create_data(hidden)',
        'passkey:passkey_register(hidden)',
        'passkey:passkey_register_trigger(button)',
        'profile:screen=previous(submit)',
      ]),
    );
    expect(layout(second)).not.toContain('profile:method=profile(submit)');
    expect(layout(second)).not.toContain('passkey:method=passkey(submit)');

    const back = await postForm(jar, second.ui.action, {
      csrf_token: csrf,
      screen: 'previous',
      'traits.email': email,
    });
    expect(back.status).toBe(303);
    const again = (await fetchFlow(jar, server.publicUrl, 'registration', flowId))
      .body as unknown as RegistrationFlow;
    expect(layout(again)).toEqual(PROFILE_SCREEN);

    await postForm(jar, again.ui.action, { csrf_token: csrf, method: 'profile', 'traits.email': email });
    const done = await postForm(jar, again.ui.action, {
      csrf_token: csrf,
      method: 'password',
      'traits.email': email,
      password: GOOD_PASSWORD,
    });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(DEFAULT_RETURN_URL);
    expect(jar.get('ory_kratos_session')).toBeTruthy();
  });
});

describe('profile_first in a single-page app (JSON with cookies)', () => {
  it('gets 400 with the flow for each screen, then 200 with the session', async () => {
    const jar = new CookieJar();
    const init = await jar.fetch(`${server.publicUrl}/self-service/registration/browser`, {
      headers: { Accept: 'application/json' },
    });
    expect(init.status).toBe(200);
    const flow = (await init.json()) as RegistrationFlow;
    expect(layout(flow)).toEqual(PROFILE_SCREEN);
    const email = uniqueEmail('spa-two-step');
    const csrf_token = csrfTokenOf(flow);

    const refused = await postJson(jar, flow.ui.action, { method: 'profile', traits: { email } });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { id: string } }).error.id).toBe('security_csrf_violation');

    const chosen = await postJson(jar, flow.ui.action, { csrf_token, method: 'profile', traits: { email } });
    expect(chosen.status).toBe(400);
    const second = (await chosen.json()) as RegistrationFlow;
    assertMatchesContract('registrationFlow', second);
    expect(uiMessageIds(second)).toEqual([CHOOSE_CREDENTIALS]);
    expect(layout(second)).toContain('passkey:passkey_register_trigger(button)');
    const createData = JSON.parse(
      String((nodeNamed(second, 'passkey_create_data').attributes as { value?: unknown }).value),
    ) as {
      displayNameFieldName: string;
      credentialOptions: { publicKey: { user: { name: string } } };
    };
    expect(createData.displayNameFieldName).toBe('traits.email');
    expect(createData.credentialOptions.publicKey.user.name).toBe(email);

    const back = await postJson(jar, flow.ui.action, { csrf_token, screen: 'previous', traits: { email } });
    expect(back.status).toBe(400);
    expect(layout((await back.json()) as RegistrationFlow)).toEqual(PROFILE_SCREEN);

    await postJson(jar, flow.ui.action, { csrf_token, method: 'profile', traits: { email } });
    const done = await postJson(jar, flow.ui.action, {
      csrf_token,
      method: 'password',
      traits: { email },
      password: GOOD_PASSWORD,
    });
    expect(done.status).toBe(200);
    const body = (await done.json()) as { identity: { traits: unknown }; continue_with: unknown[] };
    assertMatchesContract('successfulNativeRegistration', body);
    expect(body.identity.traits).toEqual({ email });
    expect(body.continue_with).toContainEqual({
      action: 'redirect_browser_to',
      redirect_browser_to: DEFAULT_RETURN_URL,
    });
    jar.store(setCookieLines(done));
    expect(jar.get('ory_kratos_session')).toBeTruthy();
  });
});

describe('the one-step styles', () => {
  let legacy: FlowServer;

  beforeAll(async () => {
    legacy = await startFlowServer({ SELFSERVICE_FLOWS_REGISTRATION_ENABLE_LEGACY_ONE_STEP: 'true' });
  });
  afterAll(() => legacy?.stop());

  it('enable_legacy_one_step: true is unified: one form, and method=profile is no method', async () => {
    const { data: flow } = await legacy.frontend.createNativeRegistrationFlow();
    expect(layout(flow)).toEqual([
      'default:csrf_token(hidden)',
      'default:traits.email(email)',
      'password:password(password)',
      'default:traits.name.first(text)',
      'default:traits.name.last(text)',
      'password:method=password(submit)',
    ]);
    const response = await legacy.frontend.updateRegistrationFlow({
      flow: flow.id,
      updateRegistrationFlowBody: { method: 'profile', traits: { email: uniqueEmail('u') } } as never,
    });
    expect(response.status).toBe(400);
    expect(uiMessageIds(bodyOf<RegistrationFlow>(response))).toEqual([4010003]);
  });
});
