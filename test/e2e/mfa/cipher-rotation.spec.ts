import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SuccessfulNativeLogin } from '@ory/kratos-client';
import { afterEach, describe, expect, it } from 'vitest';
import Sqlite from 'better-sqlite3';
import { frontendApi, registerWithApi, uniqueEmail } from '../../support/self-service.js';
import { startTessera, type TesseraProcess } from '../../support/tessera-process.js';
import { aal2Flow, authenticator, enrolTotp, MFA_ENV, passwordSession } from './mfa-support.js';

// secrets.cipher rotates: a new first secret encrypts, the old ones still decrypt, and a seed is
// sealed again under the new secret when it is used, so the old secret can be retired later.

const OLD = 'old-cipher-secret-0123456789abcd';
const NEW = 'new-cipher-secret-0123456789abcd';

let running: TesseraProcess | undefined;

afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function start(dsn: string, cipher: string[]): Promise<TesseraProcess> {
  running = await startTessera({ dsn, env: { ...MFA_ENV, SECRETS_CIPHER: JSON.stringify(cipher) } });
  return running;
}

async function stepUp(tessera: TesseraProcess, email: string, password: string, code: string) {
  const frontend = frontendApi(tessera.publicUrl);
  const token = await passwordSession(frontend, email, password);
  return frontend.updateLoginFlow({
    flow: (await aal2Flow(frontend, token)).id,
    xSessionToken: token,
    updateLoginFlowBody: { method: 'totp', totp_code: code },
  });
}

/** The sealed seed as it sits in the database file. */
function storedTotpUrl(file: string, identityId: string): string {
  const db = new Sqlite(file, { readonly: true });
  try {
    const row = db
      .prepare("SELECT config FROM identity_credentials WHERE identity_id = ? AND type = 'totp'")
      .get(identityId) as { config: string };
    return (JSON.parse(row.config) as { totp_url: string }).totp_url;
  } finally {
    db.close();
  }
}

describe('cipher secret rotation', () => {
  it('keeps TOTP working across a rotation and re-seals the seed under the new secret', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tessera-rotation-')), 'db.sqlite');
    const dsn = `sqlite://${file}?_fk=true`;
    let tessera = await start(dsn, [OLD]);
    const user = await registerWithApi(frontendApi(tessera.publicUrl), uniqueEmail('rotation'));
    const secret = await enrolTotp(frontendApi(tessera.publicUrl), user.token);
    const sealedOld = storedTotpUrl(file, user.identity.id);
    await tessera.stop();

    // Only the new secret: the old seal cannot be opened, so the code cannot be checked.
    tessera = await start(dsn, [NEW]);
    expect((await stepUp(tessera, user.email, user.password, authenticator(secret).next())).status).toBe(500);
    await tessera.stop();

    tessera = await start(dsn, [NEW, OLD]);
    const used = authenticator(secret).next();
    const stepped = await stepUp(tessera, user.email, user.password, used);
    expect(stepped.status, JSON.stringify(stepped.data)).toBe(200);
    expect((stepped.data as SuccessfulNativeLogin).session.authenticator_assurance_level).toBe('aal2');
    const sealedNew = storedTotpUrl(file, user.identity.id);
    expect(sealedNew).not.toBe(sealedOld);
    expect(sealedNew.split('.')[1]).not.toBe(sealedOld.split('.')[1]);
    await tessera.stop();

    // The old secret is retired; the re-sealed seed still opens: the code used above is refused as
    // spent (or, should its step have passed meanwhile, as out of date), not as unreadable (500).
    tessera = await start(dsn, [NEW]);
    const spent = await stepUp(tessera, user.email, user.password, used);
    expect(spent.status).toBe(400);
    expect(
      (spent.data as unknown as { ui: { messages: { id: number }[] } }).ui.messages.map((m) => m.id),
    ).toEqual([4000008]);
  });
});
