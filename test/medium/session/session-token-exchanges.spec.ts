import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ConfigService } from '../../../libs/config/index.js';
import { Clock, newId } from '../../../libs/persistence/index.js';
import { EXCHANGE_LIFESPAN_MS, SessionTokenExchanges } from '../../../libs/session/index.js';
import { SessionTokenExchangeEntity } from '../../../libs/session/session-token-exchange.entity.js';
import { freshDatabaseEach, TEST_DATABASES } from '../../support/databases.js';

const SECRET = 'medium-exchange-cipher-0123456789';
const TOKEN = 'ory_st_abcdefghijklmnopqrstuvwxyz012345';

class FakeClock extends Clock {
  at = new Date('2026-12-03T12:00:00Z');
  override now(): Date {
    return new Date(this.at);
  }
}

const config = { get: (path: string) => (path === 'secrets.cipher' ? [SECRET] : undefined) } as ConfigService;
const sha512 = (code: string) => createHash('sha512').update(code).digest('base64url');

describe.each(TEST_DATABASES)('SessionTokenExchanges on $dialect', (database) => {
  const store = freshDatabaseEach(database);

  function setUp() {
    const clock = new FakeClock();
    const exchanges = new SessionTokenExchanges(store.db, clock, config);
    const rows = () => store.dataSource.getRepository(SessionTokenExchangeEntity).find();
    return { clock, exchanges, rows };
  }

  it('keeps only hashes of both codes and the token sealed', async () => {
    const { clock, exchanges, rows } = setUp();
    const flowId = newId();
    const initCode = await exchanges.start(flowId, new Date(clock.at.getTime() + 3_600_000));
    expect(await exchanges.initCodeHashOf(flowId)).toBe(sha512(initCode));
    const returnToCode = await exchanges.complete(flowId, newId(), TOKEN);
    expect(returnToCode).toBeTruthy();
    const [row] = await rows();
    const stored = JSON.stringify(row);
    for (const secret of [initCode, returnToCode!, TOKEN]) expect(stored).not.toContain(secret);
    expect(row!.returnToCodeHash).toBe(sha512(returnToCode!));
    expect(row!.expiresAt.getTime()).toBe(clock.at.getTime() + EXCHANGE_LIFESPAN_MS);
  });

  it('gives the token once, for the right pair only, after the callback only', async () => {
    const { clock, exchanges, rows } = setUp();
    const flowId = newId();
    const initCode = await exchanges.start(flowId, new Date(clock.at.getTime() + 3_600_000));
    expect(await exchanges.redeem(initCode, 'anything')).toBeNull();
    const returnToCode = (await exchanges.complete(flowId, newId(), TOKEN))!;
    expect(await exchanges.redeem(returnToCode, initCode)).toBeNull();
    expect(await exchanges.redeem(initCode, `${returnToCode}x`)).toBeNull();
    expect(await exchanges.redeem(initCode, returnToCode)).toBe(TOKEN);
    expect(await exchanges.redeem(initCode, returnToCode)).toBeNull();
    expect(await rows()).toEqual([]);
  });

  it('expires a completed exchange after its lifetime', async () => {
    const { clock, exchanges } = setUp();
    const flowId = newId();
    const initCode = await exchanges.start(flowId, new Date(clock.at.getTime() + 3_600_000));
    const returnToCode = (await exchanges.complete(flowId, newId(), TOKEN))!;
    clock.at = new Date(clock.at.getTime() + EXCHANGE_LIFESPAN_MS);
    expect(await exchanges.redeem(initCode, returnToCode)).toBeNull();
  });

  it('follows a converted flow, and a flow without an exchange has none', async () => {
    const { clock, exchanges } = setUp();
    const [login, registration] = [newId(), newId()];
    const later = new Date(clock.at.getTime() + 3_600_000);
    const initCode = await exchanges.start(login, later);
    await exchanges.move(login, registration, later);
    expect(await exchanges.initCodeHashOf(login)).toBeNull();
    expect(await exchanges.complete(login, newId(), TOKEN)).toBeNull();
    const returnToCode = (await exchanges.complete(registration, newId(), TOKEN))!;
    expect(await exchanges.redeem(initCode, returnToCode)).toBe(TOKEN);
  });
});
