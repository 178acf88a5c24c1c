import { Injectable } from '@nestjs/common';
import { IsNull, MoreThan } from 'typeorm';
import { Database } from '../../persistence/index.js';
import { OneTimeCodeEntity, type OneTimeCodeKind } from './one-time-code.entity.js';

/** Storage of one-time codes; every write joins the caller's transaction. */
@Injectable()
export class OneTimeCodeRepository {
  constructor(private readonly db: Database) {}

  async insert(code: OneTimeCodeEntity): Promise<void> {
    await this.db.repository(OneTimeCodeEntity).insert(code);
  }

  /** The codes of a flow that may still be used. */
  usable(flowId: string, kind: OneTimeCodeKind, now: Date): Promise<OneTimeCodeEntity[]> {
    return this.db.repository(OneTimeCodeEntity).find({
      where: { flowId, kind, usedAt: IsNull(), expiresAt: MoreThan(now) },
      order: { createdAt: 'DESC' },
    });
  }

  /** Marks a code used; false when a parallel request used it first. */
  async markUsed(id: string, now: Date): Promise<boolean> {
    const result = await this.db
      .repository(OneTimeCodeEntity)
      .update({ id, usedAt: IsNull() }, { usedAt: now });
    return (result.affected ?? 0) === 1;
  }

  /** Spends every unused code of a flow: a new code replaces the old ones, a spent flow has none. */
  async invalidate(flowId: string, kind: OneTimeCodeKind, now: Date): Promise<void> {
    await this.db.repository(OneTimeCodeEntity).update({ flowId, kind, usedAt: IsNull() }, { usedAt: now });
  }
}
