import { describe, expect, it } from 'vitest';
import { ConfigService, loadConfig } from '../config/index.js';
import type { IdentityService } from '../identity/index.js';
import { Clock, type Database } from '../persistence/index.js';
import type { SessionEntity } from './session.entity.js';
import type { SessionRepository } from './session.repository.js';
import type { Invalidation, SessionInvalidationBus } from './session-invalidation.js';
import { SessionService } from './session.service.js';
import { hashToken } from './session-tokens.js';

/** Replicas on one in-memory "Redis": a message reaches every bus but its sender. */
class FakeNetwork {
  readonly buses: FakeBus[] = [];
  bus(): FakeBus {
    const bus = new FakeBus(this);
    this.buses.push(bus);
    return bus;
  }
}

class FakeBus implements SessionInvalidationBus {
  reliable = true;
  failing = false;
  readonly handlers: ((invalidation: Invalidation) => void)[] = [];
  constructor(private readonly network: FakeNetwork) {}
  async publish(invalidation: Invalidation): Promise<void> {
    if (this.failing) throw new Error('Redis is down');
    for (const bus of this.network.buses) if (bus !== this) bus.handlers.forEach((h) => h(invalidation));
  }
  onInvalidation(handler: (invalidation: Invalidation) => void): void {
    this.handlers.push(handler);
  }
  async close(): Promise<void> {}
}

/** The shared database: rows by token hash; a read can be held open to race an invalidation. */
class FakeSessions {
  readonly rows = new Map<string, SessionEntity>();
  reads = 0;
  hold: Promise<void> | undefined;
  async findByTokenHash(tokenHash: string): Promise<SessionEntity | null> {
    this.reads += 1;
    const row = this.rows.get(tokenHash);
    const copy = row ? ({ ...row } as SessionEntity) : null;
    if (this.hold) await this.hold;
    return copy;
  }
  async revoke({ id }: { id?: string }): Promise<number> {
    for (const row of this.rows.values()) if (row.id === id) row.active = false;
    return 1;
  }
}

const TOKEN = 'ory_st_token';

function replicas(count: number) {
  const network = new FakeNetwork();
  const sessions = new FakeSessions();
  sessions.rows.set(hashToken(TOKEN), {
    id: 's1',
    identityId: 'i1',
    active: true,
    expiresAt: new Date(Date.now() + 3_600_000),
  } as SessionEntity);
  const config = new ConfigService(
    loadConfig({ configFiles: [], env: { SESSION_WHOAMI_CACHE_TTL: '60s' }, dev: true, cwd: '/' }),
  );
  const db = { afterCommit: async (callback: () => Promise<void>) => callback() } as unknown as Database;
  const identities = { onChanged: () => undefined } as unknown as IdentityService;
  const warnings: string[] = [];
  const logger = { warn: (message: string) => warnings.push(message) };
  const nodes = Array.from({ length: count }, () => {
    const bus = network.bus();
    const service = new SessionService(
      sessions as unknown as SessionRepository,
      config,
      new Clock(),
      identities,
      db,
      bus,
      logger as never,
    );
    return { service, bus };
  });
  return { nodes, sessions, warnings };
}

describe('whoami cache across replicas', () => {
  it('a session revoked on one replica is refused by another at once, despite a 60 s cache', async () => {
    const { nodes, sessions } = replicas(2);
    const [a, b] = nodes;
    expect((await b!.service.findActive(TOKEN))?.id).toBe('s1');
    expect((await b!.service.findActive(TOKEN))?.id).toBe('s1');
    expect(sessions.reads).toBe(1); // the second answer came from b's cache
    await a!.service.revoke('s1');
    expect(await b!.service.findActive(TOKEN)).toBeNull();
  });

  it('an identity change on one replica drops that identity from every cache', async () => {
    const { nodes, sessions } = replicas(3);
    for (const { service } of nodes) await service.findActive(TOKEN);
    nodes[0]!.service.forgetIdentity('i1');
    await new Promise((resolve) => setImmediate(resolve));
    const before = sessions.reads;
    for (const { service } of nodes.slice(1)) await service.findActive(TOKEN);
    expect(sessions.reads).toBe(before + 2);
  });

  it('does not cache a row read before an invalidation that arrived while the read was running', async () => {
    const { nodes, sessions } = replicas(2);
    const [a, b] = nodes;
    let release!: () => void;
    sessions.hold = new Promise<void>((resolve) => (release = resolve));
    const staleRead = b!.service.findActive(TOKEN); // reads the row while it is still active
    await a!.service.revoke('s1');
    release();
    sessions.hold = undefined;
    expect((await staleRead)?.id).toBe('s1'); // that request began before the revocation
    expect(await b!.service.findActive(TOKEN)).toBeNull(); // but nothing stale was cached
  });

  it('bypasses the cache while the replica may have missed a message', async () => {
    const { nodes, sessions } = replicas(1);
    const [{ service, bus }] = nodes as [{ service: SessionService; bus: FakeBus }];
    await service.findActive(TOKEN);
    bus.reliable = false;
    await service.findActive(TOKEN);
    await service.findActive(TOKEN);
    expect(sessions.reads).toBe(3);
  });

  it('a failed publish is logged, and the revocation itself still succeeds', async () => {
    const { nodes, sessions, warnings } = replicas(2);
    nodes[0]!.bus.failing = true;
    await expect(nodes[0]!.service.revoke('s1')).resolves.toBeUndefined();
    expect([...sessions.rows.values()][0]!.active).toBe(false);
    expect(warnings).toEqual([expect.stringContaining('could not tell other replicas')]);
  });
});
