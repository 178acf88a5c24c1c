import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { type ConfigService } from '../../../libs/config/index.js';
import { csrfNode, SettingsFlowEntity, type UiNode } from '../../../libs/flow/index.js';
import { SettingsFlowRepository } from '../../../libs/flow/settings/settings-flow.repository.js';
import { Cipher } from '../../../libs/hash/index.js';
import { Database, newId } from '../../../libs/persistence/index.js';
import { migratedDataSource, TEST_DATABASES } from '../../support/databases.js';

const SEED = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const CODES = ['k3r9xw2a', 'p0v7mm4q'];

const cipherOf = (key: string) =>
  new Cipher({
    get: (path: string) => (path === 'secrets.cipher' ? [key] : undefined),
  } as unknown as ConfigService);

/** A settings flow showing what Kratos' UIs show while linking an app and revealing backup codes. */
function showingSecrets(): SettingsFlowEntity {
  const now = new Date();
  const id = newId();
  const nodes: UiNode[] = [
    csrfNode('m'),
    {
      type: 'img',
      group: 'totp',
      attributes: { id: 'totp_qr', src: `data:image/png;base64,${SEED}`, node_type: 'img' },
      messages: [],
      meta: {},
    },
    {
      type: 'text',
      group: 'totp',
      attributes: { id: 'totp_secret_key', text: { id: 1050006, text: SEED }, node_type: 'text' },
      messages: [],
      meta: {},
    },
    {
      type: 'text',
      group: 'lookup_secret',
      attributes: {
        id: 'lookup_secret_codes',
        text: { id: 1050015, text: CODES.join(', ') },
        node_type: 'text',
      },
      messages: [],
      meta: {},
    },
  ];
  return Object.assign(new SettingsFlowEntity(), {
    id,
    type: 'browser' as const,
    requestUrl: 'http://127.0.0.1:4433/self-service/settings/browser',
    returnTo: null,
    issuedAt: now,
    expiresAt: new Date(now.getTime() + 60_000),
    state: 'show_form',
    active: null,
    ui: { action: `http://127.0.0.1:4433/self-service/settings?flow=${id}`, method: 'POST' as const, nodes },
    csrfTokenHash: 'a'.repeat(64),
    identitySchema: null,
    transientPayload: null,
    internalContext: null,
    createdAt: now,
    updatedAt: now,
    identityId: newId(),
  });
}

// A database dump must not hand out second factors: the seed of an app being linked and revealed
// backup codes are sealed in the stored flow, and readable only through the repository.
describe.each(TEST_DATABASES)('settings flows at rest on $dialect', (database) => {
  let dataSource: DataSource;
  let db: Database;

  beforeEach(async () => {
    dataSource = await migratedDataSource(database);
    db = new Database(dataSource);
  });

  afterEach(async () => {
    await dataSource.destroy();
  });

  async function storedRow(id: string): Promise<string> {
    const rows = (await dataSource.query(
      `SELECT ui FROM selfservice_settings_flows WHERE id = ${database.dialect === 'postgres' ? '$1' : '?'}`,
      [id],
    )) as { ui: string }[];
    return String(rows[0]!.ui);
  }

  it('keeps the seed and the codes out of the row, and gives them back on read', async () => {
    const flows = new SettingsFlowRepository(db, cipherOf('a-cipher-secret-of-32-characters'));
    const flow = showingSecrets();
    const shown = structuredClone(flow.ui);
    await flows.insert(flow);
    expect(flow.ui).toEqual(shown);

    const row = await storedRow(flow.id);
    expect(row).not.toContain(SEED);
    for (const code of CODES) expect(row).not.toContain(code);
    expect(row).toContain('totp_secret_key');
    expect(row).toContain('csrf_token');

    const found = await flows.findById(flow.id);
    expect(found!.ui).toEqual(shown);
    found!.state = 'success';
    await flows.update(found!);
    expect(await storedRow(flow.id)).not.toContain(SEED);
    expect((await flows.findById(flow.id))!.ui).toEqual(shown);
  });

  it('drops sealed nodes it cannot open, once their key is no longer configured', async () => {
    const flow = showingSecrets();
    await new SettingsFlowRepository(db, cipherOf('a-cipher-secret-of-32-characters')).insert(flow);
    const other = new SettingsFlowRepository(db, cipherOf('another-secret-of-32-characters!'));
    const found = await other.findById(flow.id);
    expect(found!.ui.nodes.map((n) => (n.attributes as { name?: string }).name ?? 'sealed')).toEqual([
      'csrf_token',
    ]);
  });
});
