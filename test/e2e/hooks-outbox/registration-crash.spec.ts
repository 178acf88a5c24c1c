import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../../support/databases.js';
import { frontendApi, registerWithApi, sleep, uniqueEmail } from '../../support/self-service.js';
import { freePort, startTessera, type TesseraProcess } from '../../support/tessera-process.js';
import { WebHookReceiver } from '../../support/web-hook-receiver.js';

// A real registration whose `after.password` hooks are an ignored web hook and `session`: the
// registration commits, the server is killed (kill -9) before the receiver took the call, and
// the restarted server delivers it, with its Idempotency-Key, counted once. Needs the flow-side
// `web_hook` action (branch `hooks`) to hand ignored calls to the outbox.

const CLAIM_TIMEOUT_MS = 3_000;
const BODY = `function(ctx) { identity_id: ctx.identity.id, email: ctx.identity.traits.email }`;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const until = async (check: () => boolean, what: string, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not in time: ${what}`);
    await sleep(50);
  }
};

/** One database and one config that outlive the server process, so a restart finds both. */
async function deployment(receiverPort: number) {
  const cwd = mkdtempSync(join(tmpdir(), 'tessera-hook-crash-'));
  const config = join(cwd, 'tessera.json');
  writeFileSync(
    config,
    JSON.stringify({
      selfservice: {
        flows: {
          registration: {
            after: {
              password: {
                hooks: [
                  {
                    hook: 'web_hook',
                    config: {
                      url: `http://127.0.0.1:${receiverPort}/hook`,
                      method: 'POST',
                      body: `base64://${Buffer.from(BODY).toString('base64')}`,
                      response: { ignore: true },
                    },
                  },
                  { hook: 'session' },
                ],
              },
            },
          },
        },
      },
    }),
  );
  // PostgreSQL: one fresh schema for both lives; SQLite: the embedded database in `cwd`.
  const database = TEST_DATABASES.at(-1)!;
  const dsn = database.dialect === 'postgres' ? await database.createDsn() : '';
  const start = async (): Promise<TesseraProcess> => {
    const tessera = await startTessera({
      cwd,
      dsn,
      args: ['-c', config],
      readyTimeoutMs: 60_000,
      env: {
        SELFSERVICE_METHODS_PASSWORD_CONFIG_HAVEIBEENPWNED_ENABLED: 'false',
        COURIER_WORKER_PULL_WAIT: '100ms',
        COURIER_WORKER_RETRY_BACKOFF: '300ms',
        COURIER_WORKER_CLAIM_TIMEOUT: `${CLAIM_TIMEOUT_MS}ms`,
      },
    });
    cleanups.push(() => tessera.stop());
    return tessera;
  };
  return { start };
}

async function killHard(tessera: TesseraProcess): Promise<void> {
  const exited = tessera.exitCode();
  tessera.kill('SIGKILL');
  await exited;
}

async function receiverOn(port: number): Promise<WebHookReceiver> {
  const receiver = await WebHookReceiver.start(port);
  cleanups.push(() => receiver.close());
  return receiver;
}

describe('an ignored web hook of a registration survives a crash of the server', { timeout: 180_000 }, () => {
  it('refused before the crash, it arrives exactly once after the restart', async () => {
    const port = await freePort();
    const { start } = await deployment(port);
    const first = await start();
    const email = uniqueEmail('hook-crash');
    const registered = await registerWithApi(frontendApi(first.publicUrl), email);
    expect(registered.token).toBeTruthy();
    await until(() => first.output().includes('web hook failed, will retry'), 'a refused attempt');
    await killHard(first);

    const receiver = await receiverOn(port);
    await start();
    await until(() => receiver.calls.length === 1, 'the call after the restart');
    await sleep(CLAIM_TIMEOUT_MS);
    expect(receiver.calls).toHaveLength(1);
    expect(JSON.parse(receiver.calls[0]!.body)).toEqual({ identity_id: registered.identity.id, email });
    expect(receiver.calls[0]!.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('on the wire when the server dies, it is sent again after the restart with the same key', async () => {
    const receiver = await receiverOn(0);
    receiver.mode = 'hold';
    const { start } = await deployment(receiver.port);
    const first = await start();
    const registered = await registerWithApi(frontendApi(first.publicUrl));
    await until(() => receiver.calls.length === 1, 'the first attempt on the wire');
    await killHard(first);

    receiver.mode = { answer: 200 };
    await start();
    await until(() => receiver.calls.length === 2, 'the repeated attempt after the restart');
    await sleep(CLAIM_TIMEOUT_MS);
    expect(receiver.calls).toHaveLength(2);
    expect(receiver.distinctKeys()).toHaveLength(1);
    expect(receiver.calls.map((call) => JSON.parse(call.body).identity_id)).toEqual([
      registered.identity.id,
      registered.identity.id,
    ]);
  });
});
