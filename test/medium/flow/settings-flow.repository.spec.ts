import { describe, expect, it } from 'vitest';
import { type ConfigService } from '../../../libs/config/index.js';
import { type SettingsFlowEntity, type UiNode } from '../../../libs/flow/index.js';
import { SettingsFlowRepository } from '../../../libs/flow/settings/settings-flow.repository.js';
import { Cipher } from '../../../libs/hash/index.js';
import { freshDatabaseEach, TEST_DATABASES } from '../../support/databases.js';
import { settingsFlow } from './settings-flow-fixture.js';

const SEED = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const CODES = ['k3r9xw2a', 'p0v7mm4q'];

const cipherOf = (key: string) =>
  new Cipher({
    get: (path: string) => (path === 'secrets.cipher' ? [key] : undefined),
  } as unknown as ConfigService);

/** A settings flow showing what Kratos' UIs show while linking an app and revealing backup codes. */
function showingSecrets(): SettingsFlowEntity {
  const node = (type: 'img' | 'text', group: 'totp' | 'lookup_secret', attributes: Record<string, unknown>) =>
    ({ type, group, attributes: { ...attributes, node_type: type }, messages: [], meta: {} }) as UiNode;
  return settingsFlow({
    nodes: [
      node('img', 'totp', { id: 'totp_qr', src: `data:image/png;base64,${SEED}` }),
      node('text', 'totp', { id: 'totp_secret_key', text: { id: 1050006, text: SEED } }),
      node('text', 'lookup_secret', {
        id: 'lookup_secret_codes',
        text: { id: 1050015, text: CODES.join(', ') },
      }),
    ],
  });
}

// A database dump must not hand out second factors: the seed of an app being linked and revealed
// backup codes are sealed in the stored flow, and readable only through the repository.
describe.each(TEST_DATABASES)('settings flows at rest on $dialect', (database) => {
  const fresh = freshDatabaseEach(database);

  async function storedRow(id: string): Promise<string> {
    const rows = (await fresh.dataSource.query(
      `SELECT ui FROM selfservice_settings_flows WHERE id = ${database.dialect === 'postgres' ? '$1' : '?'}`,
      [id],
    )) as { ui: string }[];
    return String(rows[0]!.ui);
  }

  it('keeps the seed and the codes out of the row, and gives them back on read', async () => {
    const flows = new SettingsFlowRepository(fresh.db, cipherOf('a-cipher-secret-of-32-characters'));
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
    await new SettingsFlowRepository(fresh.db, cipherOf('a-cipher-secret-of-32-characters')).insert(flow);
    const other = new SettingsFlowRepository(fresh.db, cipherOf('another-secret-of-32-characters!'));
    const found = await other.findById(flow.id);
    expect(found!.ui.nodes.map((n) => (n.attributes as { name?: string }).name ?? 'sealed')).toEqual([
      'csrf_token',
    ]);
  });
});
