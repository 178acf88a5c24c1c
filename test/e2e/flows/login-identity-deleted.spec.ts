import type { LoginFlow } from '@ory/kratos-client';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTo, someoneWaits } from '../../support/postgres-locks.js';
import {
  loginWithApi,
  registerWithApi,
  startFlowServer,
  uiMessageIds,
  type FlowServer,
} from '../../support/self-service.js';

// An identity deleted while it signs in: the password was right, but by the time the session is
// written its identity is gone. The sign-in is refused as if the account never existed (the
// usual "invalid credentials"), never a 500 from the session's foreign key.

describe.runIf(process.env['TEST_DATABASE_POSTGRES'])('signing in to an identity being deleted', () => {
  let server: FlowServer;
  let database: pg.Client;

  beforeAll(async () => {
    server = await startFlowServer();
    database = await connectTo(server.tessera.dsn);
  });

  afterAll(async () => {
    await database?.end();
    await server?.stop();
  });

  it('waits for the delete, then answers invalid credentials and writes no session', async () => {
    const user = await registerWithApi(server.frontend);
    await database.query('BEGIN');
    let answered = false;
    try {
      await database.query('DELETE FROM identities WHERE id = $1', [user.identity.id]);
      const signingIn = loginWithApi(server.frontend, user.email, user.password).finally(
        () => (answered = true),
      );
      const waits = await someoneWaits(database, () => answered);
      expect(answered).toBe(false);
      expect(waits).toBe(1);
      await database.query('COMMIT');
      const response = await signingIn;
      expect(response.status, JSON.stringify(response.data)).toBe(400);
      expect(uiMessageIds(response.data as LoginFlow)).toEqual([4000006]);
    } finally {
      if (!answered) await database.query('ROLLBACK').catch(() => undefined);
    }
    const { rows } = await database.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM sessions WHERE identity_id = $1',
      [user.identity.id],
    );
    expect(rows[0]!.n).toBe(0);
  });
});
