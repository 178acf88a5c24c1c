import { describe, expect, it, vi } from 'vitest';
import { type ConfigService } from '../../config/index.js';
import { ApiError } from '../../errors/index.js';
import {
  availableAal,
  CredentialEntity,
  IdentityEntity,
  type IdentityService,
  VerifiableAddressEntity,
} from '../../identity/index.js';
import { type Clock, type Database } from '../../persistence/index.js';
import { SessionEntity, type SessionService } from '../../session/index.js';
import {
  type CsrfTokens,
  FlowFactory,
  FlowMetrics,
  type FlowOutcome,
  FlowRepository,
  type HookRunner,
  inputNode,
  type ReturnToPolicy,
  SettingsFlowEntity,
  type SettingsContext,
  type SettingsResult,
  type SettingsStrategy,
  type VerificationSender,
} from '../core/index.js';
import { type SettingsContinuity } from './settings-continuity.js';
import { type SettingsFlowRepository } from './settings-flow.repository.js';
import { SettingsFlowService } from './settings-flow.service.js';

const NOW = new Date('2026-01-01T12:00:00Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

function address(value: string, verified: boolean): VerifiableAddressEntity {
  return Object.assign(new VerifiableAddressEntity(), {
    id: `id-${value}`,
    value,
    via: 'email',
    verified,
    status: verified ? 'completed' : 'pending',
  });
}

function identity(extra: Partial<IdentityEntity> = {}): IdentityEntity {
  return Object.assign(new IdentityEntity(), {
    id: 'identity-1',
    schemaId: 'default',
    traits: { email: 'ada@example.org' },
    credentials: [],
    verifiableAddresses: [address('ada@example.org', true)],
    ...extra,
  });
}

function session(authenticatedAt: Date, aal: 'aal1' | 'aal2' = 'aal1'): SessionEntity {
  return Object.assign(new SessionEntity(), {
    id: 'session-1',
    identityId: 'identity-1',
    authenticatedAt,
    aal,
  });
}

/** A strategy that answers `result` and remembers what it was told. */
class FakeStrategy implements SettingsStrategy {
  readonly id = 'fake';
  seen?: SettingsContext;
  constructor(private readonly result: SettingsResult) {}
  async populateSettings(flow: Parameters<SettingsStrategy['populateSettings']>[0]) {
    flow.ui.nodes.push(inputNode('profile', { name: 'traits.email', type: 'email' }));
  }
  async settings(_flow: unknown, _body: unknown, ctx: SettingsContext) {
    this.seen = ctx;
    return this.result;
  }
}

class RecordedOutcomes extends FlowMetrics {
  readonly seen: string[] = [];
  finished(kind: string, method: string, outcome: FlowOutcome): void {
    this.seen.push(`${kind}/${method}/${outcome}`);
  }
}

function build(strategy: SettingsStrategy, config: Record<string, unknown> = {}, owner = identity()) {
  const values: Record<string, unknown> = {
    'selfservice.flows.settings.ui_url': 'https://ui.example/settings',
    ...config,
  };
  const fakeConfig = {
    get: (path: string) => values[path],
    duration: (path: string, fallback: string) => {
      const value = String(values[path] ?? fallback);
      return Number(value.replace(/m$/, '')) * 60_000;
    },
    url: (_kind: string, path: string) => `https://public.example/${path}`,
  } as unknown as ConfigService;
  const clock = { now: () => NOW } as Clock;
  // Flow rows go through prepared statements: written to nowhere, read back as none.
  const key = { databaseName: 'id', getEntityValue: (flow: { id: string }) => flow.id };
  const db = {
    dialect: 'sqlite',
    transaction: <T>(work: () => Promise<T>) => work(),
    dataSource: {
      getMetadata: () => ({ columns: [], relations: [], primaryColumns: [key], tableName: 'settings_flows' }),
      driver: { preparePersistentValue: (value: unknown) => value },
    },
    prepared: async () => [],
  } as unknown as Database;
  const hooks = {
    afterSettings: vi.fn(async () => undefined),
    before: vi.fn(async () => undefined),
    prePersist: vi.fn(
      (_kind: string, _method: string, _flow: unknown, _session: unknown, work: () => unknown) => work(),
    ),
  };
  const verification = {
    start: vi.fn(async (input: { addresses: VerifiableAddressEntity[] }) =>
      input.addresses.map((a) => ({ flowId: `verify-${a.value}`, address: a.value, via: 'email' as const })),
    ),
  };
  const continuity = {
    hold: vi.fn((..._held: unknown[]) => ({ nonce: 'nonce', expiresAt: new Date(NOW.getTime() + 60_000) })),
    take: vi.fn(async () => null),
  };
  const sessions = { addAuthenticationMethod: vi.fn(async (s: SessionEntity) => s) };
  const metrics = new RecordedOutcomes();
  const service = new SettingsFlowService(
    db,
    [strategy],
    new FlowFactory(fakeConfig, clock, { present: <T>(flow: T) => flow } as unknown as CsrfTokens),
    { validate: (v?: string) => v ?? null } as unknown as ReturnToPolicy,
    {
      get: async () => owner,
      availableAalOf: (i: IdentityEntity) => availableAal(i),
    } as unknown as IdentityService,
    hooks as unknown as HookRunner,
    verification as unknown as VerificationSender,
    fakeConfig,
    clock,
    continuity as unknown as SettingsContinuity,
    sessions as unknown as SessionService,
    new FlowRepository(db, SettingsFlowEntity) as SettingsFlowRepository,
    metrics,
  );
  return { service, hooks, verification, continuity, sessions, metrics };
}

async function submitOnce(
  service: SettingsFlowService,
  owner: IdentityEntity,
  s: SessionEntity,
  type: 'api' | 'browser' = 'api',
) {
  const flow = await service.createFor({
    type,
    requestUrl: 'https://public.example/x',
    returnTo: null,
    identity: owner,
    session: s,
    csrfToken: type === 'browser' ? 'browser-token' : undefined,
  });
  const outcome = await service.submit(flow, {
    client: type === 'api' ? 'api' : 'browser',
    device: { ipAddress: null, userAgent: null, location: '' },
    session: s,
    identity: owner,
    body: { method: 'fake' },
  });
  return { flow, outcome };
}

describe('SettingsFlowService', () => {
  it('calls a session privileged within privileged_session_max_age (15m by default) only', async () => {
    const strategy = new FakeStrategy({ kind: 'invalid' });
    const { service } = build(strategy);
    await submitOnce(service, identity(), session(minutesAgo(14)));
    expect(strategy.seen?.privileged).toBe(true);
    await submitOnce(service, identity(), session(minutesAgo(16)));
    expect(strategy.seen?.privileged).toBe(false);
  });

  it('turns privileged_session_required into 403 session_refresh_required pointing at a refresh login', async () => {
    const { service } = build(new FakeStrategy({ kind: 'privileged_session_required' }));
    const error = await submitOnce(service, identity(), session(minutesAgo(30))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const envelope = (error as ApiError).envelope();
    expect(envelope.error).toMatchObject({ id: 'session_refresh_required', code: 403 });
    const target = new URL(envelope['redirect_browser_to'] as string);
    expect(target.pathname).toBe('/self-service/login/browser');
    expect(target.searchParams.get('refresh')).toBe('true');
    expect(target.searchParams.get('return_to')).toMatch(
      /^https:\/\/public\.example\/self-service\/settings\?flow=/,
    );
  });

  it("keeps a refused browser change for after the refresh login, but not an app's", async () => {
    const refused = () => new FakeStrategy({ kind: 'privileged_session_required' });
    const browser = build(refused());
    const { outcome } = await submitOnce(browser.service, identity(), session(minutesAgo(30)), 'browser');
    expect(outcome.kind).toBe('refresh_required');
    if (outcome.kind === 'refresh_required') expect(outcome.held.nonce).toBe('nonce');
    expect(browser.continuity.hold).toHaveBeenCalledTimes(1);
    expect(browser.continuity.hold.mock.calls[0]![2]).toEqual({ method: 'fake' });
    const api = build(refused());
    await submitOnce(api.service, identity(), session(minutesAgo(30)), 'api').catch(() => null);
    expect(api.continuity.hold).not.toHaveBeenCalled();
  });

  it('applies a held change on resume only for a privileged session of a browser flow', async () => {
    const owner = identity();
    const strategy = new FakeStrategy({ kind: 'updated', identity: owner });
    const { service, continuity } = build(strategy, {}, owner);
    continuity.take.mockResolvedValue({ method: 'fake', password: 'held' } as never);
    const device = { ipAddress: null, userAgent: null, location: '' };
    const flowFor = (type: 'api' | 'browser') =>
      service.createFor({
        type,
        requestUrl: 'https://public.example/x',
        returnTo: null,
        identity: owner,
        session: session(NOW),
        csrfToken: type === 'browser' ? 'browser-token' : undefined,
      });

    const stale = await service.resume(await flowFor('browser'), {
      session: session(minutesAgo(30)),
      identity: owner,
      device,
      continuityNonce: 'nonce',
    });
    expect(stale).toBeNull();
    const app = await service.resume(await flowFor('api'), {
      session: session(NOW),
      identity: owner,
      device,
      continuityNonce: 'nonce',
    });
    expect(app).toBeNull();
    expect(continuity.take).not.toHaveBeenCalled();

    const resumed = await service.resume(await flowFor('browser'), {
      session: session(NOW),
      identity: owner,
      device,
      continuityNonce: 'nonce',
    });
    expect(resumed?.kind).toBe('updated');
    expect(continuity.take).toHaveBeenCalledWith(expect.anything(), expect.anything(), 'nonce');
    expect(strategy.seen?.client).toBe('browser');
    expect(strategy.seen?.privileged).toBe(true);
  });

  it('on success starts verification of new unverified addresses only, runs the hooks, and saves', async () => {
    const owner = identity();
    const updated = identity({
      verifiableAddresses: [address('ada@example.org', true), address('new@example.org', false)],
    });
    const { service, hooks, verification } = build(
      new FakeStrategy({ kind: 'updated', identity: updated }),
      {},
      owner,
    );
    const { outcome } = await submitOnce(service, owner, session(minutesAgo(1)), 'browser');
    expect(outcome.kind).toBe('updated');
    if (outcome.kind !== 'updated') return;
    expect(verification.start).toHaveBeenCalledTimes(1);
    expect(verification.start.mock.calls[0]![0].addresses.map((a) => a.value)).toEqual(['new@example.org']);
    expect(outcome.continueWith).toEqual([
      {
        action: 'show_verification_ui',
        flow: {
          id: 'verify-new@example.org',
          verifiable_address: 'new@example.org',
          url: 'https://www.ory.com/kratos/docs/fallback/verification?flow=verify-new%40example.org',
        },
      },
    ]);
    expect(hooks.afterSettings).toHaveBeenCalledWith(
      expect.objectContaining({ method: 'fake', identity: updated }),
    );
    expect(outcome.flow.state).toBe('success');
    expect(outcome.flow.ui.messages?.map((m) => m.id)).toEqual([1050001]);
    expect(outcome.flow.ui.nodes.map((n) => n.attributes['name'])).toEqual(['csrf_token', 'traits.email']);
  });

  it('counts a method enrolled and proven in the same step on the session, and nothing else', async () => {
    const owner = identity();
    const enrolled = build(
      new FakeStrategy({ kind: 'updated', identity: owner, authenticated: { method: 'totp', aal: 'aal2' } }),
      {},
      owner,
    );
    const current = session(minutesAgo(1));
    await submitOnce(enrolled.service, owner, current);
    expect(enrolled.sessions.addAuthenticationMethod).toHaveBeenCalledWith(current, {
      method: 'totp',
      aal: 'aal2',
    });

    const saved = build(new FakeStrategy({ kind: 'updated', identity: owner }), {}, owner);
    await submitOnce(saved.service, owner, session(minutesAgo(1)));
    expect(saved.sessions.addAuthenticationMethod).not.toHaveBeenCalled();
  });

  it('counts a change saved, invalid input and a refusal once each, and a step that continues not at all', async () => {
    const counted = async (strategy: SettingsStrategy) => {
      const { service, metrics } = build(strategy);
      await submitOnce(service, identity(), session(minutesAgo(1))).catch(() => undefined);
      return metrics.seen;
    };
    const owner = identity();
    expect(await counted(new FakeStrategy({ kind: 'updated', identity: owner }))).toEqual([
      'settings/fake/success',
    ]);
    expect(await counted(new FakeStrategy({ kind: 'invalid' }))).toEqual(['settings/fake/failure']);
    expect(await counted(new FakeStrategy({ kind: 'continue' }))).toEqual([]);
    const refusing = new FakeStrategy({ kind: 'invalid' });
    refusing.settings = () => Promise.reject(new ApiError(429));
    expect(await counted(refusing)).toEqual(['settings/fake/refused']);
  });

  it('keeps the flow in show_form for a step that continues', async () => {
    const { service, hooks } = build(new FakeStrategy({ kind: 'continue' }));
    const { outcome } = await submitOnce(service, identity(), session(minutesAgo(1)));
    expect(outcome).toMatchObject({ kind: 'continue', flow: { state: 'show_form' } });
    expect(hooks.afterSettings).not.toHaveBeenCalled();
  });

  it('refuses another identity, and an aal1 session of an identity with a second factor', async () => {
    const totp = Object.assign(new CredentialEntity(), { type: 'totp', config: {} });
    const owner = identity({ credentials: [totp] });
    const { service } = build(new FakeStrategy({ kind: 'invalid' }), {}, owner);
    const flow = await service.createFor({
      type: 'api',
      requestUrl: 'x',
      returnTo: null,
      identity: owner,
      session: session(NOW),
    });
    const stranger = Object.assign(session(NOW), { identityId: 'identity-2' });
    await expect(service.authorize(flow, stranger)).rejects.toMatchObject({
      init: { id: 'security_identity_mismatch' },
    });
    await expect(service.authorize(flow, session(NOW, 'aal1'))).rejects.toMatchObject({
      init: { id: 'session_aal2_required' },
    });
    await expect(service.authorize(flow, session(NOW, 'aal2'))).resolves.toBe(owner);
    const relaxed = build(
      new FakeStrategy({ kind: 'invalid' }),
      {
        'selfservice.flows.settings.required_aal': 'aal1',
      },
      owner,
    ).service;
    await expect(relaxed.authorize(flow, session(NOW, 'aal1'))).resolves.toBe(owner);
  });
});
