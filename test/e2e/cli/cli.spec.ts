import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../migrations/index.js';
import { REPO_ROOT, startTessera, TESSERA_BIN } from '../../support/tessera-process.js';

const run = promisify(execFile);
const QUICKSTART = join(REPO_ROOT, 'test/fixtures/kratos/quickstart-email-password');

async function tessera(args: string[], env: Record<string, string> = {}) {
  const cwd = mkdtempSync(join(tmpdir(), 'tessera-cli-'));
  return run(process.execPath, [TESSERA_BIN, ...args], {
    cwd,
    env: { PATH: process.env['PATH'] ?? '', ...env },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      stdout: error.stdout,
      stderr: error.stderr,
    }),
  );
}

describe('tessera CLI', () => {
  it('prints its version', async () => {
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    const { code, stdout } = await tessera(['version']);
    expect(code).toBe(0);
    expect(stdout).toContain(version);
  });

  it('refuses an invalid config with one line per problem naming the key, and exits non-zero', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-bad-config-'));
    const file = join(dir, 'tessera.yml');
    writeFileSync(file, 'serve:\n  public:\n    port: lots\nhashers:\n  algorithm: rot13\n');
    const { code, stderr } = await tessera(['serve', '--dev', '-c', file]);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      'config: serve.public.port: must be integer (got "lots")',
      'config: hashers.algorithm: must be one of "argon2", "bcrypt" (got "rot13")',
    ]);
  });

  it('refuses to start without secrets.cookie outside --dev', async () => {
    const { code, stderr } = await tessera(['serve'], { DSN: 'memory' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^config: secrets\.cookie: is required/);
  });

  it('applies migrations with `migrate sql -e --yes`, then reports nothing pending', async () => {
    const dsn = `sqlite://${join(mkdtempSync(join(tmpdir(), 'tessera-migrate-')), 'db.sqlite')}?_fk=true`;
    const first = await tessera(['migrate', 'sql', '-e', '--yes'], { DSN: dsn });
    expect(first).toMatchObject({
      code: 0,
      stdout: `Applied ${MIGRATIONS.length} migration(s): ${MIGRATIONS.map((m) => m.name).join(', ')}\n`,
    });
    const again = await tessera(['migrate', 'sql', '-e', '--yes'], { DSN: dsn });
    expect(again).toMatchObject({ code: 0, stdout: 'All migrations are applied.\n' });
  });

  it('serves a Kratos quickstart config as it is, warning once per key it does not act on', async () => {
    const server = await startTessera({
      args: ['-c', join(QUICKSTART, 'kratos.yml')],
      env: {
        IDENTITY_SCHEMAS: JSON.stringify([
          { id: 'default', url: `file://${join(QUICKSTART, 'identity.schema.json')}` },
        ]),
      },
    });
    try {
      const schema = (await (await fetch(`${server.publicUrl}/schemas/default`)).json()) as { title: string };
      expect(schema.title).toBe('Person');
      const warnings = server
        .logs()
        .filter((line) => line['level'] === 'warn')
        .map((line) => String(line['msg']));
      expect(warnings).toContain('config key "ciphers" is not supported by Tessera yet and is ignored');
      expect(warnings.filter((warning) => warning.includes('"selfservice.methods'))).toEqual([]);
      // The courier acts on the quickstart's SMTP settings.
      expect(warnings.filter((warning) => warning.includes('"courier'))).toEqual([]);
      expect(new Set(warnings).size).toBe(warnings.length);
    } finally {
      await server.stop();
    }
  });

  it('starts on the embedded default with no configuration: SQLite file under ./data', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'tessera-embedded-'));
    const started = Date.now();
    const server = await startTessera({ cwd, dsn: '', env: {} });
    try {
      expect(Date.now() - started).toBeLessThan(15_000);
      const created = await fetch(`${server.adminUrl}/admin/identities`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ schema_id: 'default', traits: { email: 'embedded@example.org' } }),
      });
      expect(created.status).toBe(201);
      expect(readFileSync(join(cwd, 'data/tessera.sqlite')).length).toBeGreaterThan(0);
    } finally {
      await server.stop();
    }
  });
});
