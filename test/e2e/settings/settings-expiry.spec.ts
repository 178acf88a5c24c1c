import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserWithSession,
  csrfTokenOf,
  expectError,
  postForm,
  registerWithApi,
  sleep,
  uniqueEmail,
  type FlowServer,
} from '../../support/self-service.js';
import {
  browserSettingsFlow,
  fetchSettingsFlow,
  SETTINGS_UI,
  settingsFlowOf,
  startSettingsServer,
} from './settings-support.js';

// Settings flows live `selfservice.flows.settings.lifespan`; two seconds here.

const LIFESPAN_MS = 2_000;

let server: FlowServer;

beforeAll(async () => {
  server = await startSettingsServer({ SELFSERVICE_FLOWS_SETTINGS_LIFESPAN: `${LIFESPAN_MS}ms` });
});

afterAll(async () => {
  await server?.stop();
});

describe('an expired settings flow', () => {
  it('answers a read with 410, and a native submission with 410 and a fresh flow to use', async () => {
    const user = await registerWithApi(server.frontend, uniqueEmail('expired-api'));
    const { data: flow } = await server.frontend.createNativeSettingsFlow({ xSessionToken: user.token });
    await sleep(LIFESPAN_MS + 200);

    const read = await server.frontend.getSettingsFlow({ id: flow.id, xSessionToken: user.token });
    const envelope = expectError(read, 410, 'self_service_flow_expired');
    expect(envelope.error.details).toEqual({ api: `${server.publicUrl}/self-service/settings/api` });

    const submitted = await server.frontend.updateSettingsFlow({
      flow: flow.id,
      xSessionToken: user.token,
      updateSettingsFlowBody: { method: 'profile', traits: { email: user.email, name: { first: 'Late' } } },
    });
    const expired = expectError(submitted, 410, 'self_service_flow_expired');
    const replacement = expired['use_flow_id'] as string;
    expect(replacement).not.toBe(flow.id);
    const fresh = await server.frontend.getSettingsFlow({ id: replacement, xSessionToken: user.token });
    expect(fresh.status, JSON.stringify(fresh.data)).toBe(200);
    const next = settingsFlowOf(fresh.data);
    expect(next.type).toBe('api');
    expect(next.identity.id).toBe(user.identity.id);
    expect(next.ui.messages?.map((m) => m.id)).toEqual([4050001]);
    const whoami = await server.frontend.toSession({ xSessionToken: user.token });
    expect(whoami.data.identity?.traits).toEqual(user.identity.traits);
  });

  it('sends a form post to the settings UI with a fresh flow', async () => {
    const { jar, email } = await browserWithSession(server.publicUrl, uniqueEmail('expired-form'));
    const flow = await browserSettingsFlow(jar, server.publicUrl);
    await sleep(LIFESPAN_MS + 200);
    const { response: read, body } = await fetchSettingsFlow(jar, server.publicUrl, flow.id);
    expectError(read, 410, 'self_service_flow_expired', body);

    const response = await postForm(jar, flow.ui.action, {
      csrf_token: csrfTokenOf(flow),
      method: 'profile',
      'traits.email': email,
    });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(SETTINGS_UI);
    const replacement = location.searchParams.get('flow')!;
    expect(replacement).not.toBe(flow.id);
    const fresh = await fetchSettingsFlow(jar, server.publicUrl, replacement);
    expect(fresh.response.status, JSON.stringify(fresh.body)).toBe(200);
    const next = settingsFlowOf(fresh.body);
    expect(next.ui.messages?.map((m) => m.id)).toEqual([4050001]);
    expect(csrfTokenOf(next)).not.toBe('');
  });
});
