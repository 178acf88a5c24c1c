import { beforeEach, describe, expect, it } from 'vitest';
import { type SettingsContext, type SettingsFlowEntity, type UiNode } from '../../flow/index.js';
import { CredentialEntity } from '../../identity/index.js';
import {
  FakeIdentities,
  newSettingsFlow,
  privilegedContext,
  testCipher as cipher,
} from '../settings.fakes.js';
import { findLookupCode, newLookupCodes } from './lookup-codes.js';
import { LookupSecretSettings } from './lookup-settings.js';

const names = (nodes: UiNode[]) => nodes.map((n) => n.attributes['name'] ?? n.attributes['id']);
const codesText = (nodes: UiNode[]) =>
  nodes.find((n) => n.attributes['id'] === 'lookup_secret_codes')?.attributes['text'] as {
    id: number;
    text: string;
    context: { secrets: { id: number; text: string }[] };
  };

describe('LookupSecretSettings', () => {
  let identities: FakeIdentities;
  let settings: LookupSecretSettings;
  let flow: SettingsFlowEntity;
  let ctx: SettingsContext;

  beforeEach(() => {
    identities = new FakeIdentities({});
    settings = new LookupSecretSettings(identities.asService(), cipher);
    flow = newSettingsFlow();
    ctx = privilegedContext(identities.identity, {
      aal: 'aal2',
      ipAddress: null,
      now: new Date('2026-01-02T03:04:05Z'),
    });
  });

  it('generates twelve codes, saves them only on confirm, sealed', async () => {
    await settings.populate(flow, identities.identity);
    expect(names(flow.ui.nodes)).toEqual(['lookup_secret_regenerate']);
    const shown = await settings.settings(
      flow,
      { method: 'lookup_secret', lookup_secret_regenerate: true },
      ctx,
    );
    expect(shown.kind).toBe('continue');
    expect(names(flow.ui.nodes)).toEqual(['lookup_secret_codes', 'lookup_secret_confirm']);
    const text = codesText(flow.ui.nodes);
    expect(text.id).toBe(1050015);
    const codes = text.context.secrets.map((s) => s.text);
    expect(codes).toHaveLength(12);
    for (const code of codes) expect(code).toMatch(/^[a-z0-9]{8}$/);
    expect(text.text).toBe(codes.join(', '));
    expect(identities.identity.credentials).toEqual([]);

    const saved = await settings.settings(
      flow,
      { method: 'lookup_secret', lookup_secret_confirm: 'true' },
      ctx,
    );
    expect(saved.kind).toBe('updated');
    const stored = identities.identity.credentials![0]!.config['recovery_codes'] as { code: string }[];
    expect(JSON.stringify(stored)).not.toContain(codes[0]);
    expect(stored.map((c) => cipher.decrypt(c.code, 'lookup_secret:identity-1'))).toEqual(codes);
  });

  it('reveals saved codes with the used ones marked, then disables them', async () => {
    const codes = newLookupCodes();
    identities.identity.credentials = [
      Object.assign(new CredentialEntity(), {
        type: 'lookup_secret',
        identifiers: [],
        config: {
          recovery_codes: codes.map((code, i) => ({
            code: cipher.encrypt(code, 'lookup_secret:identity-1'),
            ...(i === 0 ? { used_at: '2026-01-01T00:00:00.000Z' } : {}),
          })),
        },
      }),
    ];
    await settings.populate(flow, identities.identity);
    expect(names(flow.ui.nodes)).toEqual(['lookup_secret_reveal', 'lookup_secret_disable']);
    const revealed = await settings.settings(
      flow,
      { method: 'lookup_secret', lookup_secret_reveal: true },
      ctx,
    );
    expect(revealed.kind).toBe('continue');
    const text = codesText(flow.ui.nodes);
    expect(text.context.secrets[0]).toMatchObject({ id: 1050014 });
    expect(text.context.secrets.slice(1).map((s) => s.text)).toEqual(codes.slice(1));
    expect(text.text.startsWith('used, ')).toBe(true);

    const disabled = await settings.settings(
      flow,
      { method: 'lookup_secret', lookup_secret_disable: true },
      ctx,
    );
    expect(disabled.kind).toBe('updated');
    expect(identities.identity.credentials).toEqual([]);
  });

  it('needs a privileged session for every action, and a generated set before confirm', async () => {
    for (const action of ['regenerate', 'reveal', 'confirm', 'disable']) {
      const body = { method: 'lookup_secret', [`lookup_secret_${action}`]: true };
      expect((await settings.settings(flow, body, { ...ctx, privileged: false })).kind).toBe(
        'privileged_session_required',
      );
    }
    const confirm = await settings.settings(
      flow,
      { method: 'lookup_secret', lookup_secret_confirm: true },
      ctx,
    );
    expect(confirm.kind).toBe('invalid');
    expect(flow.ui.messages?.map((m) => [m.id, m.text])).toEqual([
      [4000001, 'You must (re-)generate recovery backup codes before you can save them.'],
    ]);
    flow.ui.messages = [];
    const reveal = await settings.settings(
      flow,
      { method: 'lookup_secret', lookup_secret_reveal: true },
      ctx,
    );
    expect(reveal.kind).toBe('invalid');
    expect(flow.ui.messages?.map((m) => [m.id, m.text])).toEqual([
      [4000001, 'Can not reveal lookup codes because you have none.'],
    ]);
  });
});

describe('findLookupCode', () => {
  it('finds a code regardless of case and surrounding spaces, and nothing else', () => {
    const codes = ['abcd1234', 'zzzz9999'];
    expect(findLookupCode(codes, ' ZZZZ9999 ')).toBe(1);
    expect(findLookupCode(codes, 'abcd123')).toBe(-1);
    expect(findLookupCode(codes, '')).toBe(-1);
  });
});
