import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { type ConfigService } from '../../../libs/config/index.js';
import { FlowRepository, SettingsFlowEntity } from '../../../libs/flow/index.js';
import { SettingsContinuity } from '../../../libs/flow/settings/settings-continuity.js';
import { Database } from '../../../libs/persistence/index.js';
import { SessionEntity } from '../../../libs/session/index.js';
import { migratedDataSource, TEST_DATABASES } from '../../support/databases.js';
import { settingsFlow } from './settings-flow-fixture.js';

const NEW_PASSWORD = 'Copper-Kettle-Window-91';

const sessionOf = (id: string) => Object.assign(new SessionEntity(), { id });
const config = {
  get: (path: string) => (path === 'secrets.cookie' ? ['cookie-secret-of-sixteen+'] : undefined),
} as unknown as ConfigService;

// A browser's privileged change waits, sealed, on its settings flow while the browser signs in
// again; then it is handed out once, and only to the session that submitted it.
describe.each(TEST_DATABASES)('holding a settings change across a refresh login on $dialect', (database) => {
  let dataSource: DataSource;
  let flows: FlowRepository<SettingsFlowEntity>;
  let continuity: SettingsContinuity;

  beforeEach(async () => {
    dataSource = await migratedDataSource(database);
    const db = new Database(dataSource);
    flows = new FlowRepository(db, SettingsFlowEntity);
    continuity = new SettingsContinuity(config, db);
  });

  afterEach(async () => {
    await dataSource.destroy();
  });

  async function held(sessionId: string): Promise<SettingsFlowEntity> {
    const flow = settingsFlow({ internalContext: { totp: { unconfirmed: 'sealed-seed' } } });
    continuity.hold(flow, sessionOf(sessionId), {
      csrf_token: 'tok',
      method: 'password',
      password: NEW_PASSWORD,
    });
    await flows.insert(flow);
    return (await flows.findById(flow.id))!;
  }

  it('stores the change encrypted, next to what the flow already held', async () => {
    const flow = await held('session-1');
    const stored = JSON.stringify(flow.internalContext);
    expect(stored).not.toContain(NEW_PASSWORD);
    expect(stored).not.toContain('tok');
    expect(flow.internalContext).toMatchObject({ totp: { unconfirmed: 'sealed-seed' } });
  });

  it('hands the change out once, without its CSRF token, and leaves the rest of the context', async () => {
    const flow = await held('session-1');
    const again = (await flows.findById(flow.id))!;
    expect(await continuity.take(flow, sessionOf('session-1'))).toEqual({
      method: 'password',
      password: NEW_PASSWORD,
    });
    expect(await continuity.take(again, sessionOf('session-1'))).toBeNull();
    expect((await flows.findById(flow.id))!.internalContext).toEqual({
      totp: { unconfirmed: 'sealed-seed' },
    });
  });

  it('gives nothing to another session of the same identity', async () => {
    const flow = await held('session-1');
    expect(await continuity.take(flow, sessionOf('session-2'))).toBeNull();
    expect(await continuity.take(flow, sessionOf('session-1'))).not.toBeNull();
  });
});
