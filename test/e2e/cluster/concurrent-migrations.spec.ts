import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_TABLE } from '../../../libs/persistence/index.js';
import { MIGRATIONS } from '../../../migrations/index.js';
import { TEST_DATABASES } from '../../support/databases.js';
import { TESSERA_BIN } from '../../support/tessera-process.js';

const run = promisify(execFile);
const postgres = TEST_DATABASES.find((database) => database.dialect === 'postgres');

/** `tessera migrate sql -e --yes` as an init container of one replica runs it. */
async function migrate(dsn: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const cwd = mkdtempSync(join(tmpdir(), 'tessera-migrate-'));
  try {
    const { stdout, stderr } = await run(process.execPath, [TESSERA_BIN, 'migrate', 'sql', '-e', '--yes'], {
      cwd,
      env: { PATH: process.env['PATH'] ?? '', DSN: dsn },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe.skipIf(!postgres)('replicas migrating one empty PostgreSQL database at once', () => {
  it('apply every migration exactly once: one replica migrates, the others find nothing pending', async () => {
    const dsn = await postgres!.createDsn();
    const results = await Promise.all([migrate(dsn), migrate(dsn), migrate(dsn)]);

    for (const result of results) expect(result, result.stderr).toMatchObject({ code: 0 });
    const outputs = results.map((r) => r.stdout.trim());
    expect(outputs.filter((o) => o.startsWith(`Applied ${MIGRATIONS.length} migration(s)`))).toHaveLength(1);
    expect(outputs.filter((o) => o === 'All migrations are applied.')).toHaveLength(2);

    const client = new pg.Client({ connectionString: dsn });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string; times: string }>(
        `SELECT name, count(*) AS times FROM ${MIGRATIONS_TABLE} GROUP BY name`,
      );
      expect(rows).toHaveLength(MIGRATIONS.length);
      expect(rows.every((row) => Number(row.times) === 1)).toBe(true);
    } finally {
      await client.end();
    }
  }, 60_000);
});
