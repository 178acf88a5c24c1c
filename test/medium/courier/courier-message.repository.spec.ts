import type { DataSource } from 'typeorm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CourierMessageEntity, CourierMessageRepository } from '../../../libs/courier/index.js';
import { Database, newId } from '../../../libs/persistence/index.js';
import { migratedDataSource, TEST_DATABASES } from '../../support/databases.js';

const T0 = new Date('2026-01-01T10:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

function message(overrides: Partial<CourierMessageEntity> = {}): CourierMessageEntity {
  const createdAt = overrides.createdAt ?? T0;
  return Object.assign(new CourierMessageEntity(), {
    id: newId(createdAt.getTime()),
    type: 'email',
    status: 'queued',
    recipient: 'someone@example.com',
    subject: 'subject',
    body: 'body',
    bodyHtml: '<p>body</p>',
    templateType: 'stub',
    templateData: { To: 'someone@example.com' },
    sendCount: 0,
    identityId: null,
    channel: 'email',
    sendAfter: null,
    claimToken: null,
    claimedAt: null,
    createdAt,
    updatedAt: createdAt,
    ...overrides,
  });
}

const claim = (now: Date, extra: { types?: ('email' | 'sms')[]; ignoreSchedule?: boolean } = {}) => ({
  now,
  staleBefore: new Date(now.getTime() - 60_000),
  types: extra.types ?? (['email', 'sms'] as ('email' | 'sms')[]),
  ignoreSchedule: extra.ignoreSchedule,
});

describe.each(TEST_DATABASES)('CourierMessageRepository on $dialect', (database) => {
  let dataSource: DataSource;
  let repository: CourierMessageRepository;

  beforeEach(async () => {
    dataSource = await migratedDataSource(database);
    repository = new CourierMessageRepository(new Database(dataSource));
  });

  afterEach(async () => {
    await dataSource.destroy();
  });

  it('counts messages per status, naming every status even when none has it', async () => {
    expect(await repository.countByStatus()).toEqual({ queued: 0, processing: 0, sent: 0, abandoned: 0 });
    const statuses = ['queued', 'queued', 'sent', 'abandoned', 'queued'] as const;
    for (const [i, status] of statuses.entries())
      await repository.insert(message({ createdAt: at(i), status }));
    expect(await repository.countByStatus()).toEqual({ queued: 3, processing: 0, sent: 1, abandoned: 1 });
  });

  it('claims due rows oldest first, counts the attempt, and never hands a row out twice', async () => {
    const rows = [0, 1, 2, 3, 4].map((i) => message({ createdAt: at(i) }));
    for (const row of rows.slice().reverse()) await repository.insert(row);

    const first = await repository.claimDue(2, claim(at(10)));
    expect(first.map((m) => m.id)).toEqual([rows[0]!.id, rows[1]!.id]);
    expect(first.every((m) => m.status === 'processing' && m.sendCount === 1 && m.claimToken)).toBe(true);

    const [a, b] = await Promise.all([
      repository.claimDue(5, claim(at(10))),
      repository.claimDue(5, claim(at(10))),
    ]);
    const ids = [...a, ...b].map((m) => m.id).sort();
    expect(ids).toEqual(
      rows
        .slice(2)
        .map((r) => r.id)
        .sort(),
    );
    expect(await repository.claimDue(5, claim(at(10)))).toEqual([]);
  });

  it('pollers racing for the same rows split them without overlap', async () => {
    for (let i = 0; i < 20; i++) await repository.insert(message({ createdAt: at(i) }));
    // On PostgreSQL a second Database is a second process's connections; SQLite has one connection.
    const other =
      database.dialect === 'postgres' ? new CourierMessageRepository(new Database(dataSource)) : repository;
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => (i % 2 ? repository : other).claimDue(5, claim(at(30)))),
    );
    const ids = results.flat().map((m) => m.id);
    expect(ids).toHaveLength(20);
    expect(new Set(ids).size).toBe(20);
  });

  it('waits for send_after unless the queue keeps the schedule, and skips types it cannot send', async () => {
    const later = message({ sendAfter: at(60) });
    const sms = message({ type: 'sms', channel: 'sms', createdAt: at(1) });
    await repository.insert(later);
    await repository.insert(sms);
    expect(await repository.claimDue(10, claim(at(30), { types: ['email'] }))).toEqual([]);
    expect(await repository.claimById(later.id, claim(at(30)))).toBeNull();
    expect((await repository.claimById(later.id, claim(at(30), { ignoreSchedule: true })))?.id).toBe(
      later.id,
    );
    expect((await repository.claimDue(10, claim(at(30), { types: ['sms'] }))).map((m) => m.id)).toEqual([
      sms.id,
    ]);
  });

  it('takes over a row left in processing longer than the claim timeout', async () => {
    const row = message();
    await repository.insert(row);
    const [claimed] = await repository.claimDue(1, claim(at(0)));
    expect(await repository.claimById(row.id, claim(at(30)))).toBeNull();
    const taken = await repository.claimById(row.id, claim(at(61)));
    expect(taken).toMatchObject({ id: row.id, status: 'processing', sendCount: 2 });
    expect(taken!.claimToken).not.toBe(claimed!.claimToken);
    // The dead worker's late answer no longer moves the row: its claim token is gone.
    await repository.recordSuccess(claimed!, at(62));
    expect((await repository.findById(row.id))!.status).toBe('processing');
    await repository.recordSuccess(taken!, at(62));
    const done = (await repository.findById(row.id))!;
    expect(done.status).toBe('sent');
    expect(done.dispatches!.map((d) => d.status)).toEqual(['success', 'success']);
  });

  it('records a failure with its error and the retry time, and pages with filters', async () => {
    const rows = [0, 1, 2].map((i) =>
      message({ createdAt: at(i), recipient: i === 1 ? 'x@example.com' : 'y@example.com' }),
    );
    for (const row of rows) await repository.insert(row);
    const [claimed] = await repository.claimDue(1, claim(at(5)));
    await repository.recordFailure(
      claimed!,
      { message: 'connection refused' },
      { status: 'queued', sendAfter: at(7) },
      at(5),
    );
    const failed = (await repository.findById(claimed!.id))!;
    expect(failed).toMatchObject({ status: 'queued', sendCount: 1, claimToken: null });
    expect(failed.sendAfter!.getTime()).toBe(at(7).getTime());
    expect(failed.dispatches).toMatchObject([{ status: 'failed', error: { message: 'connection refused' } }]);

    expect((await repository.page({ pageSize: 2 })).map((m) => m.id)).toEqual([rows[0]!.id, rows[1]!.id]);
    expect((await repository.page({ pageSize: 2, after: rows[1]!.id })).map((m) => m.id)).toEqual([
      rows[2]!.id,
    ]);
    expect((await repository.page({ pageSize: 9, recipient: 'x@example.com' })).map((m) => m.id)).toEqual([
      rows[1]!.id,
    ]);
    expect(
      (await repository.page({ pageSize: 9, status: 'queued', recipient: 'y@example.com' })).map((m) => m.id),
    ).toEqual([rows[0]!.id, rows[2]!.id]);
  });
});
