import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_DATABASES } from './databases.js';

export const REPO_ROOT = join(import.meta.dirname, '../..');
export const TESSERA_BIN = join(REPO_ROOT, 'bin/tessera.js');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface TesseraProcess {
  publicUrl: string;
  adminUrl: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Parsed JSON log lines so far. */
  logs(): Record<string, unknown>[];
  stop(): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
  args?: string[];
  /**
   * Defaults to a fresh database: PostgreSQL when TEST_DATABASE_POSTGRES is set, else SQLite in
   * memory. An empty string sets no DSN at all (the embedded default).
   */
  dsn?: string;
  cwd?: string;
}

/** Runs the real `tessera serve --dev` on free ports and waits until both ports are ready. */
export async function startTessera(options: StartOptions = {}): Promise<TesseraProcess> {
  // A test that must know the public port up front (for `serve.public.base_url`) passes it in env.
  const publicPort = Number(options.env?.['SERVE_PUBLIC_PORT'] ?? (await freePort()));
  const adminPort = await freePort();
  const cwd = options.cwd ?? mkdtempSync(join(tmpdir(), 'tessera-e2e-'));
  const dsn = options.dsn ?? (await TEST_DATABASES.at(-1)!.createDsn());
  if (dsn && !dsn.startsWith('memory') && !dsn.startsWith('sqlite')) {
    execFileSync(process.execPath, [TESSERA_BIN, 'migrate', 'sql', '-e', '--yes'], {
      cwd,
      env: { PATH: process.env['PATH'] ?? '', DSN: dsn },
      stdio: 'pipe',
    });
  }
  let output = '';
  const child: ChildProcess = spawn(
    process.execPath,
    [TESSERA_BIN, 'serve', '--dev', ...(options.args ?? [])],
    {
      cwd,
      env: {
        PATH: process.env['PATH'] ?? '',
        ...(dsn ? { DSN: dsn } : {}),
        LOG_LEVEL: 'debug',
        ...options.env,
        SERVE_PUBLIC_PORT: String(publicPort),
        SERVE_ADMIN_PORT: String(adminPort),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const publicUrl = `http://127.0.0.1:${publicPort}`;
  const adminUrl = `http://127.0.0.1:${adminPort}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`tessera exited with ${child.exitCode}:\n${output}`);
    const ready = await Promise.all(
      [publicUrl, adminUrl].map((url) =>
        fetch(`${url}/health/ready`).then(
          (r) => r.ok,
          () => false,
        ),
      ),
    );
    if (ready.every(Boolean)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`tessera did not become ready:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  return {
    publicUrl,
    adminUrl,
    output: () => output,
    logs: () =>
      output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
