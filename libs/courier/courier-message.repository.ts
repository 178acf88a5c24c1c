import { Injectable } from '@nestjs/common';
import { Brackets, In, type WhereExpressionBuilder } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import { Database, newId } from '../persistence/index.js';
import {
  CourierMessageDispatchEntity,
  CourierMessageEntity,
  MESSAGE_STATUSES,
  MessageStatus,
  type MessageType,
} from './courier-message.entity.js';

export interface MessagePageQuery {
  pageSize: number;
  /** Keyset: only ids after this one (ids are time-ordered UUIDv7). */
  after?: string;
  status?: MessageStatus;
  recipient?: string;
}

export interface ClaimOptions {
  now: Date;
  /** A `processing` row claimed before this is taken over: its worker died. */
  staleBefore: Date;
  types: readonly MessageType[];
  /** Claim a queued row even before its `send_after`: the queue keeps the retry schedule. */
  ignoreSchedule?: boolean;
  /** Only queued rows last touched before this (the sweeper leaves fresh rows to their job). */
  queuedBefore?: Date;
}

export interface FailureOutcome {
  status: 'queued' | 'abandoned';
  sendAfter: Date | null;
}

/**
 * The claim's conditions, written once for every query that claims or looks for claimable rows:
 * of a sendable type, and queued and due (any queued row when the queue keeps the schedule; only
 * those untouched since `queuedBefore` for the sweeper), or stale in processing. `param` places a
 * value and answers its placeholder.
 */
function claimableSql(options: ClaimOptions, alias: string, param: (value: unknown) => string): string {
  const types = options.types.map((type) => param(type)).join(', ');
  const queued = [`${alias}status = ${param(MessageStatus.queued)}`];
  if (options.queuedBefore) queued.push(`${alias}updated_at <= ${param(options.queuedBefore)}`);
  if (!options.ignoreSchedule) {
    queued.push(`(${alias}send_after IS NULL OR ${alias}send_after <= ${param(options.now)})`);
  }
  const stale = `${alias}status = ${param(MessageStatus.processing)} AND ${alias}claimed_at < ${param(options.staleBefore)}`;
  return `${alias}type IN (${types}) AND ((${queued.join(' AND ')}) OR (${stale}))`;
}

/** The only code touching the courier tables. Claiming is one conditional UPDATE, so two workers never both win a row. */
@Injectable()
export class CourierMessageRepository {
  /** A time column, for turning any time into its stored form. */
  private readonly timeColumn: ColumnMetadata;

  constructor(private readonly db: Database) {
    const columns = db.dataSource.getMetadata(CourierMessageEntity).columns;
    this.timeColumn = columns.find((column) => column.databaseName === 'updated_at')!;
  }

  private get messages() {
    return this.db.repository(CourierMessageEntity);
  }

  private get dispatches() {
    return this.db.repository(CourierMessageDispatchEntity);
  }

  async insert(message: CourierMessageEntity): Promise<void> {
    // simple-json columns are beyond TypeORM's deep-partial typing.
    await this.messages.insert(message as never);
  }

  async findById(id: string): Promise<CourierMessageEntity | null> {
    const message = await this.messages.findOne({ where: { id } });
    if (!message) return null;
    message.dispatches = await this.dispatches.find({
      where: { messageId: id },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    return message;
  }

  /** Messages per status, every status present (zero when none); one grouped read of the status index. */
  async countByStatus(): Promise<Record<MessageStatus, number>> {
    const rows = await this.messages
      .createQueryBuilder('m')
      .select('m.status', 'status')
      .addSelect('COUNT(*)', 'count')
      .groupBy('m.status')
      .getRawMany<{ status: string; count: string | number }>();
    const counts = Object.fromEntries(MESSAGE_STATUSES.map((s) => [s, 0])) as Record<MessageStatus, number>;
    for (const { status, count } of rows) {
      if (status in counts) counts[status as MessageStatus] = Number(count);
    }
    return counts;
  }

  async page(query: MessagePageQuery): Promise<CourierMessageEntity[]> {
    const builder = this.messages.createQueryBuilder('m').orderBy('m.id', 'ASC').take(query.pageSize);
    if (query.after) builder.andWhere('m.id > :after', { after: query.after });
    if (query.status) builder.andWhere('m.status = :status', { status: query.status });
    if (query.recipient) builder.andWhere('m.recipient = :recipient', { recipient: query.recipient });
    const messages = await builder.getMany();
    if (messages.length === 0) return messages;
    const dispatches = await this.dispatches.find({
      where: { messageId: In(messages.map((m) => m.id)) },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    for (const message of messages) message.dispatches = dispatches.filter((d) => d.messageId === message.id);
    return messages;
  }

  /** Claims up to `limit` due rows (oldest first) and counts the attempt; returns them. */
  async claimDue(limit: number, options: ClaimOptions): Promise<CourierMessageEntity[]> {
    // Most polls find nothing: one prepared read answers them without a transaction.
    if (!(await this.anyClaimable(options))) return [];
    // In a transaction of its own: on SQLite's one connection that also waits for a caller's open
    // transaction to commit instead of claiming its uncommitted rows.
    return this.db.transaction(() => this.claimDueNow(limit, options));
  }

  /** Whether a claim could find a row now; a row that turns up later is the next poll's. */
  private async anyClaimable(options: ClaimOptions): Promise<boolean> {
    if (options.types.length === 0) return false;
    const values: unknown[] = [];
    const where = claimableSql(options, '', (value) => {
      values.push(value instanceof Date ? this.stored(value) : value);
      return this.db.dialect === 'postgres' ? `$${values.length}` : '?';
    });
    const variant = `${options.types.length}${options.queuedBefore ? '_swept' : ''}${options.ignoreSchedule ? '_any' : ''}`;
    const sql = `SELECT 1 AS due FROM courier_messages WHERE ${where} LIMIT 1`;
    return (await this.db.prepared(`tessera_courier_any_due_${variant}`, sql, values)).length > 0;
  }

  private stored(date: Date): unknown {
    return this.db.dataSource.driver.preparePersistentValue(date, this.timeColumn);
  }

  private async claimDueNow(limit: number, options: ClaimOptions): Promise<CourierMessageEntity[]> {
    const query = this.messages
      .createQueryBuilder('m')
      .select('m.id', 'id')
      .where(new Brackets((qb) => this.claimable(qb, options, 'm.')))
      .orderBy('m.created_at', 'ASC')
      .limit(limit);
    // Concurrent pollers on PostgreSQL pick different rows instead of queueing on the same ones.
    if (this.db.dialect === 'postgres') query.setLock('pessimistic_write').setOnLocked('skip_locked');
    const candidates = await query.getRawMany<{ id: string }>();
    if (candidates.length === 0) return [];
    return this.claimIds(
      candidates.map((c) => c.id),
      options,
    );
  }

  /** Claims one message if it is due or stale; null when another worker has it or it is done. */
  async claimById(id: string, options: ClaimOptions): Promise<CourierMessageEntity | null> {
    const [claimed] = await this.db.transaction(() => this.claimIds([id], options));
    return claimed ?? null;
  }

  private async claimIds(ids: string[], options: ClaimOptions): Promise<CourierMessageEntity[]> {
    const token = newId();
    await this.messages
      .createQueryBuilder()
      .update(CourierMessageEntity)
      .set({
        status: MessageStatus.processing,
        claimToken: token,
        claimedAt: options.now,
        updatedAt: options.now,
        sendCount: () => 'send_count + 1',
      })
      .where('id IN (:...ids)', { ids })
      .andWhere(new Brackets((qb) => this.claimable(qb, options, '')))
      .execute();
    return this.messages.find({ where: { claimToken: token }, order: { createdAt: 'ASC' } });
  }

  /** The claim's conditions as a query builder's WHERE, with named parameters. */
  private claimable(qb: WhereExpressionBuilder, options: ClaimOptions, alias: string): void {
    const parameters: Record<string, unknown> = {};
    const where = claimableSql(options, alias, (value) => {
      const name = `claim${Object.keys(parameters).length}`;
      parameters[name] = value;
      return `:${name}`;
    });
    qb.where(where, parameters);
  }

  /** Ids of rows a queue should be carrying: queued and due, or stuck in processing. */
  async idsNeedingDelivery(limit: number, options: ClaimOptions): Promise<string[]> {
    const rows = await this.db.transaction(() =>
      this.messages
        .createQueryBuilder('m')
        .select('m.id', 'id')
        .where(new Brackets((qb) => this.claimable(qb, options, 'm.')))
        .orderBy('m.created_at', 'ASC')
        .limit(limit)
        .getRawMany<{ id: string }>(),
    );
    return rows.map((row) => row.id);
  }

  async recordSuccess(message: CourierMessageEntity, now: Date): Promise<void> {
    await this.db.transaction(async () => {
      await this.addDispatch(message.id, 'success', null, now);
      await this.messages.update(
        { id: message.id, claimToken: message.claimToken! },
        { status: MessageStatus.sent, claimToken: null, sendAfter: null, updatedAt: now },
      );
    });
  }

  async recordFailure(
    message: CourierMessageEntity,
    error: Record<string, unknown>,
    outcome: FailureOutcome,
    now: Date,
  ): Promise<void> {
    await this.db.transaction(async () => {
      await this.addDispatch(message.id, 'failed', error, now);
      await this.messages.update(
        { id: message.id, claimToken: message.claimToken! },
        { status: outcome.status, claimToken: null, sendAfter: outcome.sendAfter, updatedAt: now },
      );
    });
  }

  /** Gives a claimed row up without counting the attempt (the process is stopping). */
  async release(message: CourierMessageEntity, now: Date): Promise<void> {
    await this.messages.update(
      { id: message.id, claimToken: message.claimToken! },
      {
        status: MessageStatus.queued,
        claimToken: null,
        sendCount: Math.max(0, message.sendCount - 1),
        updatedAt: now,
      },
    );
  }

  async abandon(message: CourierMessageEntity, now: Date): Promise<void> {
    await this.messages.update(
      { id: message.id, claimToken: message.claimToken! },
      { status: MessageStatus.abandoned, claimToken: null, updatedAt: now },
    );
  }

  private async addDispatch(
    messageId: string,
    status: 'failed' | 'success',
    error: Record<string, unknown> | null,
    now: Date,
  ): Promise<void> {
    const dispatch = { id: newId(now.getTime()), messageId, status, error, createdAt: now, updatedAt: now };
    await this.dispatches.insert(dispatch as never);
  }
}
