import { createHash } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordSession, authenticator, startMfaServer, textNode } from './mfa-support.js';
import { settingsFlowOf } from '../settings/settings-support.js';
import { connectTo, someoneWaits } from '../../support/postgres-locks.js';
import { registerWithApi, type FlowServer } from '../../support/self-service.js';

// Linking an authenticator app with revoke_active_sessions after it: the settings transaction
// revokes the identity's other sessions. A sign-in elsewhere with the same hook revokes every
// session but its own, this one included, in index order. Had the settings transaction locked
// its own session's row before it waits for the others, the two would deadlock on PostgreSQL
// and one of them would answer 500. Here another connection holds an older session's row, as
// such a sign-in would, and must still be able to take this session's row while the settings
// transaction waits.

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe.runIf(process.env['TEST_DATABASE_POSTGRES'])('enrolling a second factor on PostgreSQL', () => {
  let server: FlowServer;
  let database: pg.Client;

  beforeAll(async () => {
    server = await startMfaServer({
      SELFSERVICE_FLOWS_SETTINGS_AFTER_TOTP_HOOKS: JSON.stringify([{ hook: 'revoke_active_sessions' }]),
    });
    database = await connectTo(server.tessera.dsn);
  });

  afterAll(async () => {
    await database?.end();
    await server?.stop();
  });

  it('never holds its own session while it waits for the others it revokes', async () => {
    const older = await registerWithApi(server.frontend);
    const token = await passwordSession(server.frontend, older.email, older.password);
    const { data } = await server.frontend.createNativeSettingsFlow({ xSessionToken: token });
    const flow = settingsFlowOf(data);
    const secret = String((textNode(flow, 'totp_secret_key').text.context as { secret: string }).secret);

    await database.query('BEGIN');
    let answered: Awaited<ReturnType<typeof server.frontend.updateSettingsFlow>> | undefined;
    try {
      await database.query('SELECT id FROM sessions WHERE token_hash = $1 FOR UPDATE', [sha256(older.token)]);
      const submitted = server.frontend
        .updateSettingsFlow({
          flow: flow.id,
          xSessionToken: token,
          updateSettingsFlowBody: { method: 'totp', totp_code: authenticator(secret).now() },
        })
        .then((response) => (answered = response));
      const waits = await someoneWaits(database, () => !!answered);
      // The settings transaction is revoking the older session, whose row we hold.
      expect(answered).toBeUndefined();
      expect(waits).toBe(1);
      // What a sign-in revoking every other session does next: take this session's row too.
      const own = await database.query('SELECT id FROM sessions WHERE token_hash = $1 FOR UPDATE NOWAIT', [
        sha256(token),
      ]);
      expect(own.rowCount).toBe(1);
      await database.query('ROLLBACK');
      const response = await submitted;
      expect(response.status, JSON.stringify(response.data)).toBe(200);
    } finally {
      if (!answered) await database.query('ROLLBACK').catch(() => undefined);
    }

    // The change took effect: the older session is revoked, this one proved a second factor.
    const whoamiOlder = await server.frontend.toSession({ xSessionToken: older.token });
    expect(whoamiOlder.status).toBe(401);
    const whoami = await server.frontend.toSession({ xSessionToken: token });
    expect(whoami.status).toBe(200);
    expect(whoami.data.authenticator_assurance_level).toBe('aal2');
  });
});
