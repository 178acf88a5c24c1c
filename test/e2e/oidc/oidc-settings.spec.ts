import type { Session, SettingsFlow } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserWithSession, csrfTokenOf, postForm, uniqueEmail } from '../../support/self-service.js';
import { browserSettingsFlow, fetchSettingsFlow, SETTINGS_UI } from '../settings/settings-support.js';
import { CookieJar, type OidcWorld, signInThroughProvider, startOidcWorld } from './oidc-support.js';

let world: OidcWorld;

beforeAll(async () => {
  world = await startOidcWorld(
    [
      { id: 'acme', label: 'Acme', client: 0 },
      { id: 'other', client: 1 },
    ],
    { SELFSERVICE_FLOWS_SETTINGS_UI_URL: SETTINGS_UI },
  );
});

afterAll(async () => {
  await world?.stop();
});

const buttons = (flow: SettingsFlow) =>
  flow.ui.nodes
    .filter((n) => n.group === 'oidc')
    .map((n) => {
      const a = n.attributes as { name: string; value: string };
      return [a.name, a.value, n.meta.label?.id];
    });

async function oidcOf(id: string): Promise<string[]> {
  const response = await fetch(`${world.server.adminUrl}/admin/identities/${id}`);
  const body = (await response.json()) as { credentials: Record<string, { identifiers: string[] }> };
  return body.credentials['oidc']?.identifiers ?? [];
}

async function whoami(jar: CookieJar): Promise<Session> {
  const response = await jar.fetch(`${world.publicUrl}/sessions/whoami`, {
    headers: { Accept: 'application/json' },
  });
  return (await response.json()) as Session;
}

describe('oidc: linking and unlinking providers in settings', () => {
  it('links a provider through a round trip, then unlinks it', async () => {
    const { jar } = await browserWithSession(world.publicUrl);
    const flow = await browserSettingsFlow(jar, world.publicUrl);
    expect(buttons(flow)).toEqual([
      ['link', 'acme', 1050002],
      ['link', 'other', 1050002],
    ]);
    const sub = `settings-${Date.now()}`;
    world.idp.addAccount(sub, { email: uniqueEmail('s'), email_verified: true });
    const start = await postForm(jar, flow.ui.action, { csrf_token: csrfTokenOf(flow), link: 'acme' });
    expect(start.status).toBe(303);
    const authorizationUrl = start.headers.get('location')!;
    expect(new URL(authorizationUrl).origin).toBe(world.idp.issuer);
    const callback = await jar.fetch(await world.idp.authorize(authorizationUrl, { sub }), {
      headers: { Accept: 'text/html' },
    });
    expect(callback.status).toBe(303);
    expect(callback.headers.get('location')).toBe(`${SETTINGS_UI}?flow=${flow.id}`);

    const { body } = await fetchSettingsFlow(jar, world.publicUrl, flow.id);
    const after = body as unknown as SettingsFlow;
    expect(after.state).toBe('success');
    expect(after.ui.messages?.map((m) => m.id)).toEqual([1050001]);
    expect(buttons(after)).toEqual([
      ['unlink', 'acme', 1050003],
      ['link', 'other', 1050002],
    ]);
    const session = await whoami(jar);
    expect(session.authentication_methods?.map((m) => m.provider ?? m.method)).toContain('acme');
    expect(await oidcOf(session.identity!.id)).toEqual([`acme:${sub}`]);

    // The provider now signs in to this identity.
    const other = new CookieJar();
    await signInThroughProvider(world, other, 'login', 'acme', sub);
    expect((await whoami(other)).identity?.id).toBe(session.identity!.id);

    const unlink = await postForm(jar, after.ui.action, { csrf_token: csrfTokenOf(after), unlink: 'acme' });
    expect(unlink.status).toBe(303);
    expect(await oidcOf(session.identity!.id)).toEqual([]);
  });

  it('refuses to link a subject another identity has, and an unknown provider', async () => {
    const sub = `taken-${Date.now()}`;
    world.idp.addAccount(sub, { email: uniqueEmail('taken'), email_verified: true });
    await signInThroughProvider(world, new CookieJar(), 'registration', 'acme', sub);

    const { jar } = await browserWithSession(world.publicUrl);
    const flow = await browserSettingsFlow(jar, world.publicUrl);
    const unknown = await postForm(jar, flow.ui.action, { csrf_token: csrfTokenOf(flow), link: 'nope' });
    expect(unknown.status).toBe(303);
    const { body: refused } = await fetchSettingsFlow(jar, world.publicUrl, flow.id);
    expect((refused as unknown as SettingsFlow).ui.messages?.[0]).toMatchObject({
      id: 4000001,
      text: 'can not link unknown or already existing OpenID Connect connection',
    });

    const start = await postForm(jar, flow.ui.action, { csrf_token: csrfTokenOf(flow), link: 'acme' });
    const callback = await jar.fetch(await world.idp.authorize(start.headers.get('location')!, { sub }), {
      headers: { Accept: 'text/html' },
    });
    expect(callback.status).toBe(303);
    const { body } = await fetchSettingsFlow(jar, world.publicUrl, flow.id);
    expect((body as unknown as SettingsFlow).ui.messages?.map((m) => m.id)).toEqual([4000027]);
    expect(await oidcOf((await whoami(jar)).identity!.id)).toEqual([]);
  });

  it('never unlinks the last first factor', async () => {
    const sub = `only-${Date.now()}`;
    world.idp.addAccount(sub, { email: uniqueEmail('only'), email_verified: true });
    const jar = new CookieJar();
    await signInThroughProvider(world, jar, 'registration', 'acme', sub);
    const flow = await browserSettingsFlow(jar, world.publicUrl);
    expect(buttons(flow)).toEqual([['link', 'other', 1050002]]);
    const response = await postForm(jar, flow.ui.action, { csrf_token: csrfTokenOf(flow), unlink: 'acme' });
    expect(response.status).toBe(303);
    const { body } = await fetchSettingsFlow(jar, world.publicUrl, flow.id);
    expect((body as unknown as SettingsFlow).ui.messages?.[0]).toMatchObject({
      id: 4000001,
      text: 'can not unlink OpenID Connect connection because it is the last remaining first factor credential',
    });
    expect(await oidcOf((await whoami(jar)).identity!.id)).toEqual([`acme:${sub}`]);
  });
});
