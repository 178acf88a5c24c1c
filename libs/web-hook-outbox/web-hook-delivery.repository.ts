import { Injectable } from '@nestjs/common';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import { Database, hydrate, newId, PreparedWrite } from '../persistence/index.js';
import { DELIVERY_STATUSES, DeliveryStatus, WebHookDeliveryEntity } from './web-hook-delivery.entity.js';
import { OutboxStatements, type Statement, type StoredClaim } from './web-hook-delivery.statements.js';
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
 * by the holder of the token, so a taken-over attempt that finishes late changes nothing. The
 * per-call statements (insert, claim, outcome) are raw prepared statements (OutboxStatements):
 * TypeORM's query building and hydration cost more than the SQL at hundreds of calls a second.
 */
@Injectable()
export class WebHookDeliveryRepository {
  private readonly sql: OutboxStatements;
  private readonly inserts: PreparedWrite<WebHookDeliveryEntity>;
  private readonly columns: ColumnMetadata[];
  /** A time column, for turning any time into its stored form. */
  private readonly timeColumn: ColumnMetadata;

  constructor(private readonly db: Database) {
    this.columns = db.dataSource.getMetadata(WebHookDeliveryEntity).columns;
    this.timeColumn = this.columns.find((c) => c.databaseName === 'updated_at')!;
    this.sql = new OutboxStatements(db.dialect);
    this.inserts = PreparedWrite.insert(db, WebHookDeliveryEntity);
  }

  private get rows() {
    return this.db.repository(WebHookDeliveryEntity);
  }

  /** In the caller's transaction, when there is one. */
  async insert(row: WebHookDeliveryEntity): Promise<void> {
    await this.inserts.run(row);
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

  /**
   * Claims up to `limit` due rows, oldest first, and counts the attempt, in one statement. On
   * SQLite it waits for an open flow transaction to commit instead of claiming that flow's
   * uncommitted rows; on PostgreSQL it skips rows another claimer holds.
   */
  async claimDue(limit: number, claim: DeliveryClaim): Promise<WebHookDeliveryEntity[]> {
    const found = await this.run(this.sql.claimDue(this.stored(claim), newId(), limit));
    return found
      .map((raw) => this.hydrate(raw))
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1));
  }

  /** Claims one row if it is due or stale; null when it is done or a live process holds it. */
  async claimById(id: string, claim: DeliveryClaim): Promise<WebHookDeliveryEntity | null> {
    const [found] = await this.run(this.sql.claimById(this.stored(claim), newId(), id));
    return found ? this.hydrate(found) : null;
  }

  /** Ids of rows a queue should be carrying: queued and due, or stuck in processing. */
  async idsNeedingDelivery(limit: number, claim: DeliveryClaim): Promise<string[]> {
    const found = await this.run(this.sql.idsNeedingDelivery(this.stored(claim), limit));
    return found.map((row) => row.id as string);
  }

  /** Records how the attempt ended; a no-op when the claim was taken over meanwhile. */
  async recordOutcome(row: WebHookDeliveryEntity, outcome: AttemptOutcome, now: Date): Promise<void> {
    await this.run(
      this.sql.outcome(row.id, row.claimToken, {
        status: outcome.status,
        nextAttemptAt: outcome.nextAttemptAt && this.time(outcome.nextAttemptAt),
        lastError: outcome.lastError,
        now: this.time(now),
      }),
    );
  }

  private run(statement: Statement): Promise<Record<string, unknown>[]> {
    return this.db.prepared(statement.name, statement.sql, statement.values);
  }

  private stored(claim: DeliveryClaim): StoredClaim {
    return {
      now: this.time(claim.now),
      staleBefore: this.time(claim.staleBefore),
      queuedBefore: claim.queuedBefore && this.time(claim.queuedBefore),
      ignoreSchedule: claim.ignoreSchedule,
    };
  }

  private time(value: Date): unknown {
    return this.db.dataSource.driver.preparePersistentValue(value, this.timeColumn);
  }

  /** A returned row as TypeORM's `find` loads it, by the driver's per-column rules. */
  private hydrate(raw: Record<string, unknown>): WebHookDeliveryEntity {
    return hydrate(
      this.db.dataSource,
      new WebHookDeliveryEntity(),
      this.columns,
      (n) => raw[this.columns[n]!.databaseName],
    );
  }
}
