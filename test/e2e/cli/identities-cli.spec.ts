import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTessera, TESSERA_BIN, type TesseraProcess } from '../../support/tessera-process.js';

const run = promisify(execFile);

describe('tessera identities', () => {
  let server: TesseraProcess;
  let endpoint: string;

  beforeAll(async () => {
    server = await startTessera();
    endpoint = server.adminUrl;
  });

  afterAll(async () => {
    await server.stop();
  });

  async function tessera(args: string[], env: Record<string, string> = {}) {
    return run(process.execPath, [TESSERA_BIN, 'identities', ...args], {
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

  function identityFile(content: unknown): string {
    const file = join(mkdtempSync(join(tmpdir(), 'tessera-import-')), 'identities.json');
    writeFileSync(file, JSON.stringify(content));
    return file;
  }

  it('imports identities from a file, lists, gets and deletes them', async () => {
    const file = identityFile([
      { schema_id: 'default', traits: { email: 'cli-one@example.com' } },
      {
        schema_id: 'default',
        traits: { email: 'cli-two@example.com' },
        credentials: { password: { config: { password: 'a long imported passphrase' } } },
      },
    ]);
    const imported = await tessera(['import', file, '-e', endpoint, '--format', 'json']);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    const created = JSON.parse(imported.stdout) as { id: string; traits: { email: string } }[];
    expect(created.map((i) => i.traits.email)).toEqual(['cli-one@example.com', 'cli-two@example.com']);

    const listed = await tessera(['list'], { TESSERA_ADMIN_URL: endpoint });
    expect(listed.code).toBe(0);
    const lines = listed.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+VERIFIED ADDRESS 1\s+RECOVERY ADDRESS 1\s+SCHEMA ID\s+STATE$/);
    expect(listed.stdout).toContain(created[0]!.id);
    expect(listed.stdout).toContain('cli-two@example.com');

    const got = await tessera(['get', created[1]!.id, '-e', endpoint, '--format', 'json-pretty']);
    expect(got.code).toBe(0);
    expect(JSON.parse(got.stdout)).toMatchObject({ id: created[1]!.id, state: 'active' });

    const deleted = await tessera(['delete', created[0]!.id, created[1]!.id, '-e', endpoint]);
    expect(deleted).toMatchObject({ code: 0, stdout: `${created[0]!.id}\n${created[1]!.id}\n` });
    const gone = await tessera(['get', created[0]!.id, '-e', endpoint]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/404/);
  });

  it('reports a rejected import, a missing endpoint and an unreachable one in one line', async () => {
    const bad = await tessera(['import', identityFile({ schema_id: 'nope', traits: {} }), '-e', endpoint]);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/: 400: /);

    const none = await tessera(['list']);
    expect(none).toMatchObject({
      code: 1,
      stderr: 'no admin endpoint: pass --endpoint or set TESSERA_ADMIN_URL\n',
    });

    const down = await tessera(['list', '-e', 'http://127.0.0.1:9']);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/^cannot reach http:\/\/127\.0\.0\.1:9/);
  });
});
