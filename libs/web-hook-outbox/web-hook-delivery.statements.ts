import type { Dialect } from '../persistence/index.js';
import { DeliveryStatus } from './web-hook-delivery.entity.js';

/** A claim's bounds, already in the driver's stored form. */
export interface StoredClaim {
  now: unknown;
  staleBefore: unknown;
  queuedBefore?: unknown;
  ignoreSchedule?: boolean;
}

/** One statement: its prepared-statement name (one per SQL text), the text and its values. */
export interface Statement {
  name: string;
  sql: string;
  values: unknown[];
}

const TABLE = 'web_hook_deliveries';

/** Placeholders in text order: `?` on SQLite, `$n` on PostgreSQL. */
class Values {
  readonly list: unknown[] = [];
  constructor(private readonly postgres: boolean) {}

  add(value: unknown): string {
    this.list.push(value);
    return this.postgres ? `$${this.list.length}` : '?';
  }
}

/**
 * The outbox's per-call SQL for both dialects. A claim is one UPDATE over the due rows' ids that
 * returns the claimed rows; on PostgreSQL its sub-select skips rows another claimer has locked.
 * Each variant of a claim (with or without the schedule, the sweeper's grace) has its own name.
 */
export class OutboxStatements {
  private readonly postgres: boolean;

  constructor(dialect: Dialect) {
    this.postgres = dialect === 'postgres';
  }

  claimDue(claim: StoredClaim, token: string, limit: number): Statement {
    const values = new Values(this.postgres);
    const set = this.claimSet(values, claim, token);
    const where = this.claimable(values, claim);
    const lock = this.postgres ? ' FOR UPDATE SKIP LOCKED' : '';
    const sql =
      `UPDATE ${TABLE} SET ${set} WHERE id IN (SELECT id FROM ${TABLE} WHERE ${where}` +
      ` ORDER BY created_at LIMIT ${values.add(limit)}${lock}) RETURNING *`;
    return { name: `tessera_outbox_claim_due${variant(claim)}`, sql, values: values.list };
  }

  claimById(claim: StoredClaim, token: string, id: string): Statement {
    const values = new Values(this.postgres);
    const set = this.claimSet(values, claim, token);
    const sql = `UPDATE ${TABLE} SET ${set} WHERE id = ${values.add(id)} AND (${this.claimable(values, claim)}) RETURNING *`;
    return { name: `tessera_outbox_claim_id${variant(claim)}`, sql, values: values.list };
  }

  idsNeedingDelivery(claim: StoredClaim, limit: number): Statement {
    const values = new Values(this.postgres);
    const where = this.claimable(values, claim);
    const sql = `SELECT id FROM ${TABLE} WHERE ${where} ORDER BY created_at LIMIT ${values.add(limit)}`;
    return { name: `tessera_outbox_needing${variant(claim)}`, sql, values: values.list };
  }

  /** Only the holder of the claim token writes the outcome. */
  outcome(
    id: string,
    token: string | null,
    outcome: { status: string; nextAttemptAt: unknown; lastError: string | null; now: unknown },
  ): Statement {
    const v = new Values(this.postgres);
    const sql =
      `UPDATE ${TABLE} SET status = ${v.add(outcome.status)}, next_attempt_at = ${v.add(outcome.nextAttemptAt)},` +
      ` last_error = ${v.add(outcome.lastError)}, claim_token = NULL, updated_at = ${v.add(outcome.now)}` +
      ` WHERE id = ${v.add(id)} AND claim_token = ${v.add(token)}`;
    return { name: 'tessera_outbox_outcome', sql, values: v.list };
  }

  private claimSet(values: Values, claim: StoredClaim, token: string): string {
    return (
      `status = '${DeliveryStatus.processing}', claim_token = ${values.add(token)},` +
      ` claimed_at = ${values.add(claim.now)}, updated_at = ${values.add(claim.now)}, attempts = attempts + 1`
    );
  }

  /** Queued and due (or any queued row when a queue keeps the schedule), or stale in processing. */
  private claimable(values: Values, claim: StoredClaim): string {
    const queued = [`status = '${DeliveryStatus.queued}'`];
    if (claim.queuedBefore !== undefined) queued.push(`updated_at <= ${values.add(claim.queuedBefore)}`);
    if (!claim.ignoreSchedule)
      queued.push(`(next_attempt_at IS NULL OR next_attempt_at <= ${values.add(claim.now)})`);
    const stale = `status = '${DeliveryStatus.processing}' AND claimed_at < ${values.add(claim.staleBefore)}`;
    return `(${queued.join(' AND ')}) OR (${stale})`;
  }
}

function variant(claim: StoredClaim): string {
  return `${claim.queuedBefore !== undefined ? '_swept' : ''}${claim.ignoreSchedule ? '_any' : ''}`;
}
