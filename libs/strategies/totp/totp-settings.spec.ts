import * as OTPAuth from 'otpauth';
import { beforeEach, describe, expect, it } from 'vitest';
import { type ConfigService } from '../../config/index.js';
import { type SettingsContext, type SettingsFlowEntity, type UiNode } from '../../flow/index.js';
import { CredentialEntity } from '../../identity/index.js';
import { type IdentitySchemaRegistry, parseIdentitySchema } from '../../schema/index.js';
import { type SecretCheckGuard } from '../password/index.js';
import { StepUp } from '../second-factor.js';
import {
  FakeIdentities,
  newSettingsFlow,
  privilegedContext,
  testCipher as cipher,
} from '../settings.fakes.js';
import { TotpSettings } from './totp-settings.js';

const SCHEMA = {
  id: 'default',
  ...parseIdentitySchema({
    properties: {
      traits: {
        type: 'object',
        properties: {
          email: {
            type: 'string',
            'ory.sh/kratos': { credentials: { password: { identifier: true } } },
          },
          username: { type: 'string', 'ory.sh/kratos': { credentials: { totp: { account_name: true } } } },
        },
      },
    },
  }),
};

const config = {
  get: (key: string) => (key === 'selfservice.methods.totp.config.issuer' ? 'Tessera Test' : undefined),
  url: (_: string, path: string) => `https://id.example/${path}`,
} as unknown as ConfigService;
const guard = {
  check: (_method: string, _identifier: string, _ip: string | null, verify: () => Promise<boolean>) =>
    verify(),
} as unknown as SecretCheckGuard;

const attrs = (nodes: UiNode[], id: string) =>
  nodes.find((n) => n.attributes['id'] === id || n.attributes['name'] === id)?.attributes ?? {};

describe('TotpSettings', () => {
  let identities: FakeIdentities;
  let settings: TotpSettings;
  let flow: SettingsFlowEntity;
  let ctx: SettingsContext;

  beforeEach(() => {
    identities = new FakeIdentities({
      schemaId: 'default',
      traits: { email: 'ada@example.org', username: 'ada' },
    });
    const schemas = { find: () => SCHEMA, getDefault: () => SCHEMA } as unknown as IdentitySchemaRegistry;
    settings = new TotpSettings(identities.asService(), schemas, cipher, config, guard, new StepUp(config));
    flow = newSettingsFlow();
    ctx = privilegedContext(identities.identity, { aal: 'aal1', ipAddress: '127.0.0.1', now: new Date() });
  });

  async function enrolmentSecret(): Promise<string> {
    await settings.populate(flow, identities.identity);
    const text = attrs(flow.ui.nodes, 'totp_secret_key')['text'] as { id: number; text: string };
    expect(text.id).toBe(1050006);
    return text.text;
  }

  it('shows a QR code and the secret, keeping the seed encrypted in the flow only', async () => {
    const secret = await enrolmentSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(attrs(flow.ui.nodes, 'totp_qr')).toMatchObject({ width: 256, height: 256, node_type: 'img' });
    expect(String(attrs(flow.ui.nodes, 'totp_qr')['src'])).toMatch(/^data:image\/png;base64,/);
    expect(JSON.stringify(flow.internalContext)).not.toContain(secret);
    // The same seed is shown again for the same flow (a wrong code must not change the QR code).
    flow.ui.nodes = [];
    expect(await enrolmentSecret()).toBe(secret);
  });

  it('links the app after a correct code, with issuer and account name in the stored URL', async () => {
    const secret = await enrolmentSecret();
    const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate();
    const result = await settings.settings(flow, { method: 'totp', totp_code: code }, ctx);
    expect(result.kind).toBe('updated');
    const credential = identities.identity.credentials!.find((c) => c.type === 'totp')!;
    const url = cipher.decrypt(credential.config['totp_url'] as string, 'totp:identity-1');
    const parsed = OTPAuth.URI.parse(url) as OTPAuth.TOTP;
    expect([parsed.issuer, parsed.label, parsed.secret.base32]).toEqual(['Tessera Test', 'ada', secret]);
    expect(credential.config['last_used_step']).toBe(Math.floor(Date.now() / 30_000));
    expect(flow.internalContext).toEqual({});
  });

  it('refuses a wrong code on the totp_code node and keeps the seed', async () => {
    await enrolmentSecret();
    const result = await settings.settings(flow, { method: 'totp', totp_code: '000000' }, ctx);
    // One in a million the wrong code is right; the message check would then fail loudly.
    expect(result.kind).toBe('invalid');
    const node = flow.ui.nodes.find((n) => n.attributes['name'] === 'totp_code')!;
    expect(node.messages.map((m) => m.id)).toEqual([4000008]);
    expect(identities.identity.credentials).toEqual([]);
  });

  it('asks for a privileged session before linking', async () => {
    await enrolmentSecret();
    const result = await settings.settings(
      flow,
      { method: 'totp', totp_code: '123456' },
      {
        ...ctx,
        privileged: false,
      },
    );
    expect(result.kind).toBe('privileged_session_required');
  });

  it('unlinks only with a privileged aal2 session', async () => {
    identities.identity.credentials = [
      Object.assign(new CredentialEntity(), { type: 'totp', config: { totp_url: 'x' }, identifiers: [] }),
    ];
    await settings.populate(flow, identities.identity);
    expect(flow.ui.nodes.map((n) => n.attributes['name'])).toEqual(['totp_unlink']);
    const body = { method: 'totp', totp_unlink: 'true' };
    expect((await settings.settings(flow, body, { ...ctx, privileged: false })).kind).toBe(
      'privileged_session_required',
    );
    await expect(settings.settings(flow, body, ctx)).rejects.toMatchObject({
      code: 403,
      init: { id: 'session_aal2_required' },
    });
    const aal2 = { ...ctx, session: { ...ctx.session, aal: 'aal2' } } as SettingsContext;
    expect((await settings.settings(flow, body, aal2)).kind).toBe('updated');
    expect(identities.identity.credentials).toEqual([]);
  });
});
