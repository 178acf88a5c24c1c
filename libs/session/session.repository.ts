import { Injectable } from '@nestjs/common';
import { In, LessThan, MoreThan, Not, type FindOptionsWhere } from 'typeorm';
import { type CredentialEntity } from '../identity/index.js';
import { Database, PreparedWrite, type Statement } from '../persistence/index.js';
import { SessionDeviceEntity, SessionEntity } from './session.entity.js';
import { SessionLookup } from './session-lookup.js';

const WITH_IDENTITY = {
  identity: { verifiableAddresses: true, recoveryAddresses: true },
  devices: true,
} as const;

export interface SessionListQuery {
  identityId?: string;
  /** true: usable sessions only; false: revoked or expired only. */
  active?: boolean;
  exceptId?: string;
  pageSize: number;
  after?: string;
  offset?: number;
}

/** Sessions and their devices; lookups by token go through the token's hash. */
@Injectable()
export class SessionRepository {
  /** Built on first use, once the entities' metadata is complete. */
  private lookup?: SessionLookup;
  private inserts?: { session: PreparedWrite<SessionEntity>; device: PreparedWrite<SessionDeviceEntity> };
  /** The identity's second-factor credentials, read in the same statement as the session. */
  private readonly secondFactors = new WeakMap<SessionEntity, CredentialEntity[]>();

  constructor(private readonly db: Database) {}

  /**
   * The session, its devices and the writes `together` with them (the flow that issued it), as
   * one: see `Database.preparedAll`.
   */
  async insert(session: SessionEntity, together: Statement[] = []): Promise<void> {
    this.inserts ??= {
      session: PreparedWrite.insert(this.db, SessionEntity),
      device: PreparedWrite.insert(this.db, SessionDeviceEntity),
    };
    const { session: write, device } = this.inserts;
    await this.db.preparedAll([
      write.statement(session),
      ...(session.devices ?? []).map((one) => device.statement(one)),
      ...together,
    ]);
  }

  /**
   * The hot path of every app request: one indexed, prepared statement (see SessionLookup) with
   * the identity, its addresses, the devices and the second-factor credentials in it.
   */
  async findByTokenHash(tokenHash: string): Promise<SessionEntity | null> {
    this.lookup ??= new SessionLookup(this.db);
    const found = await this.lookup.byTokenHash(tokenHash);
    if (!found) return null;
    this.secondFactors.set(found.session, found.secondFactors);
    return found.session;
  }

  /** The second-factor credentials read with a session from `findByTokenHash`, else undefined. */
  secondFactorsReadWith(session: SessionEntity): CredentialEntity[] | undefined {
    return this.secondFactors.get(session);
  }

  /** Whether the identity has had a session from `ip` since `since`: one indexed lookup, no rows read. */
  async hasSessionFrom(identityId: string, ip: string, since: Date): Promise<boolean> {
    const found = await this.db
      .repository(SessionDeviceEntity)
      .createQueryBuilder('device')
      .innerJoin(SessionEntity, 'session', 'session.id = device.session_id')
      .where('session.identity_id = :identityId', { identityId })
      .andWhere('device.ip_address = :ip', { ip })
      .andWhere('device.created_at >= :since', { since })
      .select('1')
      .limit(1)
      .getRawOne();
    return found !== undefined && found !== null;
  }

  findByLogoutTokenHash(logoutTokenHash: string): Promise<SessionEntity | null> {
    return this.db.repository(SessionEntity).findOne({ where: { logoutTokenHash } });
  }

  findById(id: string): Promise<SessionEntity | null> {
    return this.db.repository(SessionEntity).findOne({ where: { id }, relations: WITH_IDENTITY });
  }

  async list(query: SessionListQuery, now: Date): Promise<{ sessions: SessionEntity[]; total: number }> {
    const base: FindOptionsWhere<SessionEntity> = {};
    if (query.identityId) base.identityId = query.identityId;
    let where: FindOptionsWhere<SessionEntity> | FindOptionsWhere<SessionEntity>[] = base;
    if (query.active === true) where = { ...base, active: true, expiresAt: MoreThan(now) };
    if (query.active === false)
      where = [
        { ...base, active: false },
        { ...base, expiresAt: LessThan(now) },
      ];
    const withCursor = (w: FindOptionsWhere<SessionEntity>) => ({
      ...w,
      ...(query.exceptId ? { id: Not(query.exceptId) } : {}),
      ...(query.after ? { id: MoreThan(query.after) } : {}),
    });
    const clauses = Array.isArray(where) ? where.map(withCursor) : withCursor(where);
    const repository = this.db.repository(SessionEntity);
    const [sessions, total] = await repository.findAndCount({
      where: clauses,
      order: { id: 'ASC' },
      take: query.pageSize,
      skip: query.offset,
      relations: WITH_IDENTITY,
    });
    return { sessions, total };
  }

  async save(session: SessionEntity): Promise<void> {
    await this.db.transaction(async () => {
      const { devices = [], identity: _identity, ...row } = session;
      await this.db.repository(SessionEntity).update({ id: session.id }, row as never);
      const known = await this.db.repository(SessionDeviceEntity).find({ where: { sessionId: session.id } });
      const fresh = devices.filter((d) => !known.some((k) => k.id === d.id));
      if (fresh.length)
        await this.db.manager.insert(SessionDeviceEntity, fresh.map(({ session: _s, ...d }) => d) as never);
    });
  }

  async revoke(where: { id?: string; identityId?: string; exceptId?: string }, now: Date): Promise<number> {
    return this.db.transaction(async () => {
      const criteria: FindOptionsWhere<SessionEntity> = { active: true };
      if (where.id) criteria.id = where.id;
      // In bulk, expired sessions are over already: only live ones are revoked and counted.
      else criteria.expiresAt = MoreThan(now);
      if (where.identityId) criteria.identityId = where.identityId;
      if (where.exceptId) criteria.id = Not(where.exceptId);
      const result = await this.db
        .repository(SessionEntity)
        .update(criteria, { active: false, updatedAt: now });
      return result.affected ?? 0;
    });
  }

  async deleteByIdentity(identityId: string): Promise<number> {
    return this.db.transaction(async () => {
      const result = await this.db.repository(SessionEntity).delete({ identityId });
      return result.affected ?? 0;
    });
  }

  async deleteByIds(ids: string[]): Promise<number> {
    if (ids.length === 0) return 0;
    return this.db.transaction(
      async () => (await this.db.repository(SessionEntity).delete({ id: In(ids) })).affected ?? 0,
    );
  }
}
