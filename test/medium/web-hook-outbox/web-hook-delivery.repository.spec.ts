import type { DataSource } from 'typeorm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Database, newId } from '../../../libs/persistence/index.js';
import { WebHookDeliveryEntity, WebHookDeliveryRepository } from '../../../libs/web-hook-outbox/index.js';
import { migratedDataSource, TEST_DATABASES } from '../../support/databases.js';

const T0 = new Date('2026-01-01T10:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const claim = (now: Date, extra: { ignoreSchedule?: boolean; queuedBefore?: Date } = {}) => ({
  now,
  staleBefore: new Date(now.getTime() - 60_000),
  ...extra,
});

function delivery(overrides: Partial<WebHookDeliveryEntity> = {}): WebHookDeliveryEntity {
  const createdAt = overrides.createdAt ?? T0;
  return Object.assign(new WebHookDeliveryEntity(), {
    id: newId(createdAt.getTime()),
    url: 'http://127.0.0.1:1/hook',
    method: 'POST',
    headers: '{}',
    body: '{"a":1}',
    timeoutMs: 5_000,
    hookId: null,
    status: 'queued',
    attempts: 0,
    nextAttemptAt: null,
    lastError: null,
    claimToken: null,
    claimedAt: null,
    createdAt,
    updatedAt: createdAt,
    ...overrides,
  });
}

describe.each(TEST_DATABASES)('WebHookDeliveryRepository on $dialect', (database) => {
  let dataSource: DataSource;
  let db: Database;
  let repository: WebHookDeliveryRepository;

  beforeEach(async () => {
    dataSource = await migratedDataSource(database);
    db = new Database(dataSource);
    repository = new WebHookDeliveryRepository(db);
  });

  afterEach(async () => {
    await dataSource.destroy();
  });

  it('claims due rows oldest first, counts the attempt, and never hands a row out twice', async () => {
    const rows = [0, 1, 2, 3, 4, 5].map((i) => delivery({ createdAt: at(i) }));
    for (const row of rows.slice().reverse()) await repository.insert(row);

    const first = await repository.claimDue(2, claim(at(10)));
    expect(first.map((r) => r.id)).toEqual([rows[0]!.id, rows[1]!.id]);
    expect(first.every((r) => r.status === 'processing' && r.attempts === 1 && r.claimToken)).toBe(true);

    const [a, b, c] = await Promise.all([
      repository.claimDue(3, claim(at(10))),
      repository.claimDue(3, claim(at(10))),
      repository.claimById(rows[5]!.id, claim(at(10), { ignoreSchedule: true })),
    ]);
    const ids = [...a, ...b, ...(c ? [c] : [])].map((r) => r.id).sort();
    expect(ids).toEqual(
      rows
        .slice(2)
        .map((r) => r.id)
        .sort(),
    );
    expect(await repository.claimDue(10, claim(at(10)))).toEqual([]);
    expect(await repository.countByStatus()).toEqual({ queued: 0, processing: 6, sent: 0, abandoned: 0 });
  });

  it('waits for next_attempt_at, unless the queue keeps the schedule', async () => {
    const later = delivery({ nextAttemptAt: at(30), attempts: 1 });
    await repository.insert(later);
    expect(await repository.claimDue(10, claim(at(29)))).toEqual([]);
    expect(await repository.idsNeedingDelivery(10, claim(at(29)))).toEqual([]);
    expect((await repository.claimDue(10, claim(at(30)))).map((r) => r.attempts)).toEqual([2]);

    const scheduled = delivery({ nextAttemptAt: at(100), createdAt: at(1) });
    await repository.insert(scheduled);
    const claimed = await repository.claimById(scheduled.id, claim(at(40), { ignoreSchedule: true }));
    expect(claimed?.id).toBe(scheduled.id);
  });

  it('takes over a row whose claim went stale, and the late holder cannot overwrite the outcome', async () => {
    await repository.insert(delivery());
    const [dead] = await repository.claimDue(1, claim(at(0)));
    expect(await repository.claimDue(1, claim(at(59)))).toEqual([]);
    expect(await repository.idsNeedingDelivery(10, claim(at(61)))).toEqual([dead!.id]);

    const [survivor] = await repository.claimDue(1, claim(at(61)));
    expect(survivor).toMatchObject({ id: dead!.id, attempts: 2 });
    expect(survivor!.claimToken).not.toBe(dead!.claimToken);

    await repository.recordOutcome(
      survivor!,
      { status: 'sent', nextAttemptAt: null, lastError: null },
      at(62),
    );
    await repository.recordOutcome(
      dead!,
      { status: 'queued', nextAttemptAt: at(70), lastError: 'late failure' },
      at(63),
    );
    expect(await repository.findById(dead!.id)).toMatchObject({
      status: 'sent',
      claimToken: null,
      lastError: null,
      attempts: 2,
    });
    expect(await repository.claimById(dead!.id, claim(at(200), { ignoreSchedule: true }))).toBeNull();
  });

  it('leaves fresh queued rows to their job when sweeping', async () => {
    const fresh = delivery({ createdAt: at(10) });
    const old = delivery({ createdAt: at(0) });
    await repository.insert(fresh);
    await repository.insert(old);
    expect(await repository.idsNeedingDelivery(10, claim(at(12), { queuedBefore: at(9) }))).toEqual([old.id]);
  });

  it('writes nothing when the surrounding transaction rolls back', async () => {
    const row = delivery();
    await expect(
      db.transaction(async () => {
        await repository.insert(row);
        throw new Error('the flow failed after its web hook was queued');
      }),
    ).rejects.toThrow('the flow failed');
    expect(await repository.findById(row.id)).toBeNull();
    expect(await repository.claimDue(10, claim(at(10)))).toEqual([]);
  });
});
