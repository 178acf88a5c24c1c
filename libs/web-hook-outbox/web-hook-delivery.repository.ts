import { Injectable } from '@nestjs/common';
import { Brackets, type WhereExpressionBuilder } from 'typeorm';
import { Database, newId } from '../persistence/index.js';
import { DELIVERY_STATUSES, DeliveryStatus, WebHookDeliveryEntity } from './web-hook-delivery.entity.js';

export interface DeliveryClaim {
  now: Date;
  /** A `processing` row claimed before this is taken over: its process died mid-send. */
  staleBefore: Date;
  /** Claim a queued row even before its `next_attempt_at`: BullMQ keeps the retry schedule. */
  ignoreSchedule?: boolean;
  /** Only queued rows last touched before this (the sweeper leaves fresh rows to their job). */
  queuedBefore?: Date;
}

export interface AttemptOutcome {
  status: 'queued' | 'sent' | 'abandoned';
  nextAttemptAt: Date | null;
  lastError: string | null;
}

/**
 * The only code touching `web_hook_deliveries`. A claim is one conditional UPDATE that sets a
 * fresh claim token, so two pollers or workers never both win a row; outcomes are written only
 * by the holder of the token, so a taken-over attempt that finishes late changes nothing.
 */
@Injectable()
export class WebHookDeliveryRepository {
  constructor(private readonly db: Database) {}

  private get rows() {
    return this.db.repository(WebHookDeliveryEntity);
  }

  /** In the caller's transaction, when there is one. */
  async insert(row: WebHookDeliveryEntity): Promise<void> {
    await this.rows.insert(row);
  }

  findById(id: string): Promise<WebHookDeliveryEntity | null> {
    return this.rows.findOne({ where: { id } });
  }

  async countByStatus(): Promise<Record<DeliveryStatus, number>> {
    const found = await this.rows
      .createQueryBuilder('d')
      .select('d.status', 'status')
      .addSelect('COUNT(*)', 'count')
      .groupBy('d.status')
      .getRawMany<{ status: string; count: string | number }>();
    const counts = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as Record<DeliveryStatus, number>;
    for (const { status, count } of found)
      if (status in counts) counts[status as DeliveryStatus] = Number(count);
    return counts;
  }

  /** Claims up to `limit` due rows, oldest first, and counts the attempt. */
  claimDue(limit: number, claim: DeliveryClaim): Promise<WebHookDeliveryEntity[]> {
    // A transaction of its own: on SQLite's one connection it waits for an open flow transaction
    // to commit instead of claiming that flow's uncommitted rows.
    return this.db.transaction(async () => {
      const query = this.rows
        .createQueryBuilder('d')
        .select('d.id', 'id')
        .where(new Brackets((qb) => this.claimable(qb, claim, 'd.')))
        .orderBy('d.created_at', 'ASC')
        .limit(limit);
      if (this.db.dialect === 'postgres') query.setLock('pessimistic_write').setOnLocked('skip_locked');
      const candidates = await query.getRawMany<{ id: string }>();
      if (candidates.length === 0) return [];
      return this.claimIds(
        candidates.map((c) => c.id),
        claim,
      );
    });
  }

  /** Claims one row if it is due or stale; null when it is done or a live process holds it. */
  async claimById(id: string, claim: DeliveryClaim): Promise<WebHookDeliveryEntity | null> {
    const [claimed] = await this.db.transaction(() => this.claimIds([id], claim));
    return claimed ?? null;
  }

  /** Ids of rows a queue should be carrying: queued and due, or stuck in processing. */
  async idsNeedingDelivery(limit: number, claim: DeliveryClaim): Promise<string[]> {
    const found = await this.db.transaction(() =>
      this.rows
        .createQueryBuilder('d')
        .select('d.id', 'id')
        .where(new Brackets((qb) => this.claimable(qb, claim, 'd.')))
        .orderBy('d.created_at', 'ASC')
        .limit(limit)
        .getRawMany<{ id: string }>(),
    );
    return found.map((row) => row.id);
  }

  /** Records how the attempt ended; a no-op when the claim was taken over meanwhile. */
  async recordOutcome(row: WebHookDeliveryEntity, outcome: AttemptOutcome, now: Date): Promise<void> {
    // A transaction of its own, so on SQLite's one connection it takes its turn.
    await this.db.transaction(() =>
      this.rows.update(
        { id: row.id, claimToken: row.claimToken! },
        {
          status: outcome.status,
          nextAttemptAt: outcome.nextAttemptAt,
          lastError: outcome.lastError,
          claimToken: null,
          updatedAt: now,
        },
      ),
    );
  }

  private async claimIds(ids: string[], claim: DeliveryClaim): Promise<WebHookDeliveryEntity[]> {
    const token = newId();
    await this.rows
      .createQueryBuilder()
      .update(WebHookDeliveryEntity)
      .set({
        status: DeliveryStatus.processing,
        claimToken: token,
        claimedAt: claim.now,
        updatedAt: claim.now,
        attempts: () => 'attempts + 1',
      })
      .where('id IN (:...ids)', { ids })
      .andWhere(new Brackets((qb) => this.claimable(qb, claim, '')))
      .execute();
    return this.rows.find({ where: { claimToken: token }, order: { createdAt: 'ASC' } });
  }

  private claimable(qb: WhereExpressionBuilder, claim: DeliveryClaim, alias: string): void {
    qb.where(
      new Brackets((queued) => {
        queued.where(`${alias}status = :queued`, { queued: DeliveryStatus.queued });
        if (claim.queuedBefore)
          queued.andWhere(`${alias}updated_at <= :queuedBefore`, { queuedBefore: claim.queuedBefore });
        if (!claim.ignoreSchedule)
          queued.andWhere(
            new Brackets((due) =>
              due
                .where(`${alias}next_attempt_at IS NULL`)
                .orWhere(`${alias}next_attempt_at <= :now`, { now: claim.now }),
            ),
          );
      }),
    ).orWhere(
      new Brackets((stale) =>
        stale
          .where(`${alias}status = :processing`, { processing: DeliveryStatus.processing })
          .andWhere(`${alias}claimed_at < :staleBefore`, { staleBefore: claim.staleBefore }),
      ),
    );
  }
}
