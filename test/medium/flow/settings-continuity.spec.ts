import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { type ConfigService } from '../../../libs/config/index.js';
import { FlowRepository, SettingsFlowEntity } from '../../../libs/flow/index.js';
import { SettingsContinuity } from '../../../libs/flow/settings/settings-continuity.js';
import { type Clock, Database } from '../../../libs/persistence/index.js';
import { SessionEntity } from '../../../libs/session/index.js';
import { migratedDataSource, TEST_DATABASES } from '../../support/databases.js';
import { settingsFlow } from './settings-flow-fixture.js';

const NEW_PASSWORD = 'Copper-Kettle-Window-91';

const sessionOf = (id: string) => Object.assign(new SessionEntity(), { id });
const config = {
  get: (path: string) => (path === 'secrets.cookie' ? ['cookie-secret-of-sixteen+'] : undefined),
} as unknown as ConfigService;

let now = new Date();
const clock = { now: () => now } as Clock;

// A browser's privileged change waits, sealed, on its settings flow while the browser signs in
// again; then it is handed out once, only to the session that submitted it and only with the
// nonce the submitting browser was given (its continuity cookie).
describe.each(TEST_DATABASES)('holding a settings change across a refresh login on $dialect', (database) => {
  let dataSource: DataSource;
  let flows: FlowRepository<SettingsFlowEntity>;
  let continuity: SettingsContinuity;

  beforeEach(async () => {
    now = new Date();
    dataSource = await migratedDataSource(database);
    const db = new Database(dataSource);
    flows = new FlowRepository(db, SettingsFlowEntity);
    continuity = new SettingsContinuity(config, db, clock);
  });

  afterEach(async () => {
    await dataSource.destroy();
  });

  async function held(
    sessionId: string,
  ): Promise<{ flow: SettingsFlowEntity; nonce: string; expiresAt: Date }> {
    const flow = settingsFlow({ internalContext: { totp: { unconfirmed: 'sealed-seed' } } });
    const { nonce, expiresAt } = continuity.hold(flow, sessionOf(sessionId), {
      csrf_token: 'tok',
      method: 'password',
      password: NEW_PASSWORD,
    });
    await flows.insert(flow);
    return { flow: (await flows.findById(flow.id))!, nonce, expiresAt };
  }

  it('stores the change encrypted, without the nonce, next to what the flow already held', async () => {
    const { flow, nonce } = await held('session-1');
    const stored = JSON.stringify(flow.internalContext);
    expect(stored).not.toContain(NEW_PASSWORD);
    expect(stored).not.toContain('tok');
    expect(nonce.length).toBeGreaterThanOrEqual(43);
    expect(stored).not.toContain(nonce);
    expect(flow.internalContext).toMatchObject({ totp: { unconfirmed: 'sealed-seed' } });
  });

  it('hands the change out once, without its CSRF token, and leaves the rest of the context', async () => {
    const { flow, nonce } = await held('session-1');
    const again = (await flows.findById(flow.id))!;
    expect(await continuity.take(flow, sessionOf('session-1'), nonce)).toEqual({
      method: 'password',
      password: NEW_PASSWORD,
    });
    expect(await continuity.take(again, sessionOf('session-1'), nonce)).toBeNull();
    expect((await flows.findById(flow.id))!.internalContext).toEqual({
      totp: { unconfirmed: 'sealed-seed' },
    });
  });

  it('gives nothing to another session of the same identity, and keeps it for the right one', async () => {
    const { flow, nonce } = await held('session-1');
    expect(await continuity.take(flow, sessionOf('session-2'), nonce)).toBeNull();
    expect(await continuity.take(flow, sessionOf('session-1'), nonce)).not.toBeNull();
  });

  it('gives nothing to the same session without the nonce, and that return spends the change', async () => {
    const { flow, nonce } = await held('session-1');
    const again = (await flows.findById(flow.id))!;
    expect(await continuity.take(flow, sessionOf('session-1'), undefined)).toBeNull();
    expect(await continuity.take(again, sessionOf('session-1'), nonce)).toBeNull();
    expect((await flows.findById(flow.id))!.internalContext).toEqual({
      totp: { unconfirmed: 'sealed-seed' },
    });
  });

  it('gives nothing for a wrong nonce', async () => {
    const { flow, nonce } = await held('session-1');
    const wrong = `${nonce.slice(0, -2)}${nonce.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(await continuity.take(flow, sessionOf('session-1'), wrong)).toBeNull();
  });

  it('gives nothing once the held change has expired (with its flow at the latest)', async () => {
    const { flow, nonce, expiresAt } = await held('session-1');
    expect(expiresAt.getTime()).toBeLessThanOrEqual(flow.expiresAt.getTime());
    now = new Date(expiresAt.getTime() + 1);
    expect(await continuity.take(flow, sessionOf('session-1'), nonce)).toBeNull();
  });
});
