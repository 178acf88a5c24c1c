import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_DATABASES } from './databases.js';

export const REPO_ROOT = join(import.meta.dirname, '../..');
export const TESSERA_BIN = join(REPO_ROOT, 'bin/tessera.js');

/** Ports this process handed out: the kernel may offer a just-closed port again at once. */
const handedOut = new Set<number>();

function listenOnAnyPort(): Promise<{ port: number; close(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ port, close: () => new Promise<void>((done) => server.close(() => done())) });
    });
  });
}

/**
 * `count` distinct ports free right now. They are held open together until all are found, and no
 * port is handed out twice by this process, so a public and an admin port never coincide.
 */
export async function freePorts(count: number): Promise<number[]> {
  const held: Awaited<ReturnType<typeof listenOnAnyPort>>[] = [];
  const ports: number[] = [];
  try {
    while (ports.length < count) {
      const listener = await listenOnAnyPort();
      held.push(listener);
      if (handedOut.has(listener.port)) continue;
      handedOut.add(listener.port);
      ports.push(listener.port);
    }
  } finally {
    await Promise.all(held.map((listener) => listener.close()));
  }
  return ports;
}

export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port!;
}

export interface TesseraProcess {
  publicUrl: string;
  adminUrl: string;
  /** The database it runs on ('' for the embedded default). */
  dsn: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Parsed JSON log lines so far. */
  logs(): Record<string, unknown>[];
  /** Sends a signal to the server process (SIGTERM to test its shutdown). */
  kill(signal: NodeJS.Signals): void;
  /** The exit code once the process has ended (null when a signal ended it). */
  exitCode(): Promise<number | null>;
  stop(): Promise<void>;
}

/** Every server started, until a test begins after it has ended: see `serverErrorsFrom`. */
const servers = new Set<{ output: () => string; ended: boolean }>();

/**
 * From now on: a function answering the error and fatal log lines the servers have written
 * since (those running now, those started later, and any that has ended meanwhile), so a failed
 * test can show why a server answered 500 or stopped.
 */
export function serverErrorsFrom(): () => string[] {
  for (const server of servers) if (server.ended) servers.delete(server);
  const seen = new Map([...servers].map((server) => [server, server.output().length]));
  return () =>
    [...servers].flatMap((server) =>
      server
        .output()
        .slice(seen.get(server) ?? 0)
        .split('\n')
        .filter((line) => /^\{"level":"(error|fatal)"/.test(line)),
    );
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
  /** How long the start may take before it counts as failed (20 s unless a spec needs more). */
  readyTimeoutMs?: number;
}

/**
 * Runs the real `tessera serve --dev` on free ports and waits until both ports are ready. Another
 * test process may take a port between our probe and the server's listen: then it starts again on
 * fresh ports, a few times.
 */
export async function startTessera(options: StartOptions = {}): Promise<TesseraProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt === 3) throw error;
    }
  }
}

class PortTakenError extends Error {}

async function startOnce(options: StartOptions): Promise<TesseraProcess> {
  // A test that must know the public port up front got it from freePort(), which never repeats.
  const [first, adminPort] = (await freePorts(2)) as [number, number];
  const publicPort = Number(options.env?.['SERVE_PUBLIC_PORT'] ?? first);
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
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const server = { output: () => output, ended: false };
  servers.add(server);
  void exited.then(() => (server.ended = true));

  const publicUrl = `http://127.0.0.1:${publicPort}`;
  const adminUrl = `http://127.0.0.1:${adminPort}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 20_000);
  for (;;) {
    if (child.exitCode !== null) {
      const message = `tessera exited with ${child.exitCode}:\n${output}`;
      throw output.includes('EADDRINUSE') ? new PortTakenError(message) : new Error(message);
    }
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
    dsn,
    output: () => output,
    logs: () =>
      output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    kill: (signal) => child.kill(signal),
    exitCode: () => exited,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
