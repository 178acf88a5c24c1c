import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OutgoingMessage } from '../../libs/courier/index.js';
import { Courier, CourierMessageRepository } from '../../libs/courier/index.js';
import { startCourierContext, type CourierContext } from './courier-context.js';
import { TEST_DATABASES } from './databases.js';
import { TESSERA_BIN } from './tessera-process.js';

/**
 * A database two processes can share: a fresh PostgreSQL schema when TEST_DATABASE_POSTGRES is
 * set, else an SQLite file in a fresh directory (an in-memory database is one process's own).
 */
export async function sharedDsn(): Promise<{ dsn: string; cwd: string }> {
  const cwd = mkdtempSync(join(tmpdir(), 'tessera-courier-'));
  const database = TEST_DATABASES.at(-1)!;
  if (database.dialect === 'postgres') return { dsn: await database.createDsn(), cwd };
  return { dsn: `sqlite://${join(cwd, 'tessera.sqlite')}?_fk=true`, cwd };
}

/**
 * Queues messages through the real CourierService, as a flow inside the server would, from a
 * producer-only context on the same database; the server or worker under test delivers them.
 */
export class MessageProducer {
  private constructor(private readonly context: CourierContext) {}

  /** `migrate`: apply migrations first, when no server process has done it. */
  static async open(
    dsn: string,
    env: Record<string, string> = {},
    migrate = false,
  ): Promise<MessageProducer> {
    return new MessageProducer(await startCourierContext({ dsn, env, deliver: false, migrate }));
  }

  send(message: OutgoingMessage): Promise<string> {
    return this.context.app.get(Courier).send(message);
  }

  /** The message's status as stored (`queued`, `processing`, `sent`, `abandoned`). */
  async status(id: string): Promise<string | undefined> {
    return (await this.context.app.get(CourierMessageRepository).findById(id))?.status;
  }

  close(): Promise<void> {
    return this.context.close();
  }
}

export interface WorkerProcess {
  output(): string;
  /** Kills with the given signal and waits for the exit. */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** The exit code once it has exited (null after a kill by signal). */
  exitCode(): number | null;
}

/** Runs the real `tessera courier watch` and waits until its worker is running. */
export async function startCourierWatch(options: {
  dsn: string;
  cwd: string;
  env?: Record<string, string>;
}): Promise<WorkerProcess> {
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [TESSERA_BIN, 'courier', 'watch'], {
    cwd: options.cwd,
    env: { PATH: process.env['PATH'] ?? '', DSN: options.dsn, LOG_LEVEL: 'debug', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 20_000;
  while (!output.includes('courier worker is running')) {
    if (child.exitCode !== null) throw new Error(`courier watch exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`courier watch did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    output: () => output,
    exitCode: () => child.exitCode,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
