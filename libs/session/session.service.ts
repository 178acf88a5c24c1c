import { Inject, Injectable, type OnModuleDestroy, Optional } from '@nestjs/common';
import { ConfigService } from '../config/index.js';
import { type CredentialEntity, type IdentityEntity, IdentityService } from '../identity/index.js';
import { AppLogger } from '../logging/index.js';
import { Clock, Database, newId, type Statement } from '../persistence/index.js';
import { type Aal, type AuthenticationMethod, SessionDeviceEntity, SessionEntity } from './session.entity.js';
import { IdentityDisabledError, SessionNotFoundError } from './session.errors.js';
import { SessionRepository, type SessionListQuery } from './session.repository.js';
import { AvailableAalCache } from './session-aal.js';
import { SessionCache } from './session-cache.js';
import {
  type Invalidation,
  type Received,
  SESSION_INVALIDATION,
  type SessionInvalidationBus,
} from './session-invalidation.js';
import { hashToken, logoutTokenFor, newSessionToken } from './session-tokens.js';

export interface DeviceInfo {
  ipAddress: string | null;
  userAgent: string | null;
  location: string;
}

export interface Authentication {
  method: string;
  aal: Exclude<Aal, 'aal0'>;
  provider?: string;
}

/** How long an address a user signed in from stays one of theirs for the brute-force policy. */
const KNOWN_ADDRESS_DAYS = 30;
/** Asked about when the identifier belongs to nobody: matches no session. */
const NO_IDENTITY = '00000000-0000-0000-0000-000000000000';

/** AAL of a session from its methods: aal2 needs a second factor on top of a first one. */
export function aalOf(methods: AuthenticationMethod[]): Aal {
  if (methods.length === 0) return 'aal0';
  const has = (aal: Aal) => methods.some((m) => m.aal === aal);
  return has('aal2') && has('aal1') ? 'aal2' : 'aal1';
}

/** Issues, finds and ends sessions. Tokens leave this service once, at issue time. */
@Injectable()
export class SessionService implements OnModuleDestroy {
  private readonly cache: SessionCache;
  private readonly cacheTtlMs: number;
  private readonly availableAal: AvailableAalCache;
  /** Bumped by every invalidation: a database read that spans one is not cached. */
  private generation = 0;

  constructor(
    private readonly sessions: SessionRepository,
    private readonly config: ConfigService,
    private readonly clock: Clock,
    private readonly identities: IdentityService,
    private readonly db: Database,
    @Inject(SESSION_INVALIDATION) private readonly bus: SessionInvalidationBus,
    @Optional() private readonly logger?: AppLogger,
  ) {
    const ttl = config.duration('session.whoami.cache_ttl', '1s');
    this.cacheTtlMs = ttl;
    this.cache = new SessionCache(ttl);
    this.availableAal = new AvailableAalCache(ttl);
    identities.onChanged((identityId) => this.forgetIdentity(identityId));
    bus.onInvalidation((invalidation) => this.applyLocally(invalidation));
  }

  async onModuleDestroy(): Promise<void> {
    await this.bus.close();
  }

  /**
   * Drops what the change makes stale, here at once and again once the change is committed (a
   * whoami reading the old row in between must not keep it), and tells the other replicas.
   */
  private async invalidate(invalidation: Invalidation): Promise<void> {
    this.applyLocally(invalidation);
    await this.db.afterCommit(async () => {
      this.applyLocally(invalidation);
      try {
        await this.bus.publish(invalidation);
      } catch (error) {
        // The other replicas' caches then hold it for at most session.whoami.cache_ttl.
        this.logger?.warn('session cache: could not tell other replicas of a session change', {
          err: error,
        });
      }
    });
  }

  private applyLocally(invalidation: Received): void {
    this.generation += 1;
    if ('all' in invalidation) {
      this.cache.clear();
      this.availableAal.clear();
    } else if ('session' in invalidation) {
      this.cache.evict((s) => s.id === invalidation.session);
    } else {
      const { identity, except } = invalidation;
      this.cache.evict((s) => s.identityId === identity && s.id !== except);
      if (except === undefined) this.availableAal.forget(identity);
    }
  }

  /**
   * Whether the session is strong enough for whoami (`session.whoami.required_aal`): with
   * `highest_available`, an identity that has a second factor needs an aal2 session. aal2
   * sessions and `aal1` configs answer without touching the database, and so does a session read
   * by its token, whose second-factor credentials came in the same statement.
   */
  satisfiesWhoamiAal(session: SessionEntity): Promise<boolean> {
    return this.aalSatisfiesWhoami(
      session.aal,
      session.identityId,
      this.sessions.secondFactorsReadWith(session),
    );
  }

  /** The same for a session's AAL, given its identity's second-factor credentials if they were read. */
  async aalSatisfiesWhoami(
    aal: Aal,
    identityId: string,
    factors: Pick<CredentialEntity, 'type' | 'config'>[] | undefined,
  ): Promise<boolean> {
    if (aal === 'aal2') return true;
    if ((this.config.get<string>('session.whoami.required_aal') ?? 'highest_available') === 'aal1')
      return true;
    const available = factors
      ? this.identities.availableAalOfCredentials(factors)
      : await this.availableAal.get(identityId, this.clock.now().getTime(), () =>
          this.identities.availableAal(identityId),
        );
    return available !== 'aal2';
  }

  /** Whether whoami's sessions are kept in this process between requests (see findActive). */
  get cachesSessions(): boolean {
    return this.cacheTtlMs > 0 && this.bus.reliable;
  }

  get lifespanMs(): number {
    return this.config.duration('session.lifespan', '24h');
  }

  /**
   * A new session (new id, new token: never a fixation) for an identity that just authenticated,
   * written with the writes `together` with it or not at all.
   */
  async issue(
    identity: IdentityEntity,
    auth: Authentication,
    device: DeviceInfo,
    together: Statement[] = [],
  ): Promise<{ session: SessionEntity; token: string; logoutToken: string }> {
    if (identity.state !== 'active') throw new IdentityDisabledError();
    const now = this.clock.now();
    const token = newSessionToken();
    const logoutToken = this.logoutTokenFor(token);
    const methods: AuthenticationMethod[] = [
      {
        method: auth.method,
        aal: auth.aal,
        completed_at: now.toISOString(),
        ...(auth.provider ? { provider: auth.provider } : {}),
      },
    ];
    const session = Object.assign(new SessionEntity(), {
      id: newId(now.getTime()),
      identityId: identity.id,
      tokenHash: hashToken(token),
      logoutTokenHash: hashToken(logoutToken),
      active: true,
      aal: aalOf(methods),
      authenticationMethods: methods,
      issuedAt: now,
      authenticatedAt: now,
      expiresAt: new Date(now.getTime() + this.lifespanMs),
      createdAt: now,
      updatedAt: now,
    });
    session.devices = [this.device(session.id, device, now)];
    await this.sessions.insert(session, together);
    session.identity = identity;
    return { session, token, logoutToken };
  }

  logoutTokenFor(sessionToken: string): string {
    const secret =
      this.config.get<string[]>('secrets.cookie')?.[0] ??
      this.config.get<string[]>('secrets.default')?.[0] ??
      '';
    return logoutTokenFor(sessionToken, secret);
  }

  /** Re-authentication or a second factor on the same session (same id, same token). */
  async authenticateAgain(
    session: SessionEntity,
    auth: Authentication,
    device: DeviceInfo,
  ): Promise<SessionEntity> {
    const now = this.clock.now();
    this.completed(session, auth, now);
    session.authenticatedAt = now;
    session.devices = [...(session.devices ?? []), this.device(session.id, device, now)];
    await this.sessions.save(session);
    await this.invalidate({ session: session.id });
    return session;
  }

  /**
   * A second factor enrolled in settings was just proven by its owner (a TOTP code, a key's
   * attestation, the backup codes shown): the session counts it, as in Kratos, so that adding
   * one does not lock the user out of an aal2-only whoami. The session's age stays as it was.
   */
  async addAuthenticationMethod(session: SessionEntity, auth: Authentication): Promise<SessionEntity> {
    this.completed(session, auth, this.clock.now());
    await this.sessions.save(session);
    await this.invalidate({ session: session.id });
    return session;
  }

  private completed(session: SessionEntity, auth: Authentication, now: Date): void {
    session.authenticationMethods = [
      ...session.authenticationMethods,
      {
        method: auth.method,
        aal: auth.aal,
        completed_at: now.toISOString(),
        ...(auth.provider ? { provider: auth.provider } : {}),
      },
    ];
    session.aal = aalOf(session.authenticationMethods);
    session.updatedAt = now;
  }

  /** The usable session a token belongs to, or null: revoked, expired and disabled ones are not. */
  /**
   * Whether `ip` is an address the identity signed in from within the last 30 days. The brute-force
   * policy lets such an address past the identifier-wide ceiling, so that a stranger guessing from
   * elsewhere cannot lock the owner out of the places they sign in from.
   */
  signedInFrom(identityId: string | null, ip: string): Promise<boolean> {
    // An unknown identity asks too, so that the answer takes the same time either way.
    const since = new Date(this.clock.now().getTime() - KNOWN_ADDRESS_DAYS * 24 * 60 * 60 * 1000);
    return this.sessions.hasSessionFrom(identityId ?? NO_IDENTITY, ip, since);
  }

  async findActive(token: string | undefined): Promise<SessionEntity | null> {
    if (!token) return null;
    const tokenHash = hashToken(token);
    const now = this.clock.now().getTime();
    // A replica that may have missed another's revocation reads the database instead.
    const trusted = this.bus.reliable;
    const cached = trusted ? this.cache.get(tokenHash, now) : undefined;
    if (cached) return cached;
    const generation = this.generation;
    const session = await this.sessions.findByTokenHash(tokenHash);
    if (!session || !this.isActive(session)) return null;
    if (trusted && generation === this.generation) this.cache.set(tokenHash, session, now);
    return session;
  }

  isActive(session: SessionEntity): boolean {
    return (
      session.active &&
      session.expiresAt > this.clock.now() &&
      (!session.identity || session.identity.state === 'active')
    );
  }

  async get(id: string): Promise<SessionEntity> {
    const session = await this.sessions.findById(id);
    if (!session) throw new SessionNotFoundError();
    return session;
  }

  list(query: SessionListQuery) {
    return this.sessions.list(query, this.clock.now());
  }

  async revoke(id: string): Promise<void> {
    this.applyLocally({ session: id });
    await this.sessions.revoke({ id }, this.clock.now());
    await this.invalidate({ session: id });
  }

  /** Ends every session of an identity but one (logout elsewhere; `revoke_active_sessions`). */
  async revokeOthers(identityId: string, exceptId?: string): Promise<number> {
    const invalidation = { identity: identityId, ...(exceptId ? { except: exceptId } : {}) };
    this.applyLocally(invalidation);
    const revoked = await this.sessions.revoke({ identityId, exceptId }, this.clock.now());
    await this.invalidate(invalidation);
    return revoked;
  }

  /**
   * After an identity changed (traits, state, credentials), its sessions and available AAL must
   * be read afresh, on every replica.
   */
  forgetIdentity(identityId: string): void {
    void this.invalidate({ identity: identityId });
  }

  async revokeByLogoutToken(logoutToken: string): Promise<SessionEntity | null> {
    const session = await this.sessions.findByLogoutTokenHash(hashToken(logoutToken));
    if (session) await this.revoke(session.id);
    return session;
  }

  async deleteByIdentity(identityId: string): Promise<number> {
    this.applyLocally({ identity: identityId });
    const deleted = await this.sessions.deleteByIdentity(identityId);
    await this.invalidate({ identity: identityId });
    return deleted;
  }

  /** Extends to now + lifespan, but only once the session is within `earliest_possible_extend` of expiring. */
  async extend(id: string): Promise<SessionEntity> {
    const session = await this.get(id);
    const now = this.clock.now();
    const window = this.config.duration(
      'session.earliest_possible_extend',
      this.config.get<string>('session.lifespan') ?? '24h',
    );
    if (session.expiresAt.getTime() - window <= now.getTime()) {
      session.expiresAt = new Date(now.getTime() + this.lifespanMs);
      session.updatedAt = now;
      await this.sessions.save(session);
      await this.invalidate({ session: id });
    }
    return session;
  }

  private device(sessionId: string, device: DeviceInfo, now: Date): SessionDeviceEntity {
    return Object.assign(new SessionDeviceEntity(), {
      id: newId(now.getTime()),
      sessionId,
      ipAddress: device.ipAddress,
      userAgent: device.userAgent?.slice(0, 512) ?? null,
      location: device.location,
      createdAt: now,
      updatedAt: now,
    });
  }
}
