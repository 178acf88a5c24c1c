import type { RecoveryFlow } from '@ory/kratos-client';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTo, someoneWaits } from '../../support/postgres-locks.js';
import { uiMessageIds, uniqueEmail } from '../../support/self-service.js';
import { registeredUser, startMailServer, type MailServer } from './mail-flows.js';

// An identity deleted while its recovery code is redeemed. The recovery transaction holds the
// identity (the lock its new session's foreign key takes) before it writes anything of the
// identity's, so it waits for a delete in progress, as the delete's cascade locks the identity
// first and its addresses after. Once the delete commits the code counts for nobody: the flow
// answers "invalid code", never a 500 from a session referencing a deleted identity.

/** Kratos' "The recovery code is invalid or has already been used." */
const RECOVERY_CODE_INVALID = 4060006;

describe.runIf(process.env['TEST_DATABASE_POSTGRES'])('recovery of an identity being deleted', () => {
  let server: MailServer;
  let database: pg.Client;

  beforeAll(async () => {
    server = await startMailServer();
    database = await connectTo(server.tessera.dsn);
  });

  afterAll(async () => {
    await database?.end();
    await server?.stop();
  });

  it('waits for the delete, then refuses the code as spent on nobody', async () => {
    const user = await registeredUser(server, uniqueEmail('deleted-while-recovering'));
    const created = await server.identities.createRecoveryCodeForIdentity({
      createRecoveryCodeForIdentityBody: { identity_id: user.identity.id, flow_type: 'api' },
    });
    expect(created.status, JSON.stringify(created.data)).toBe(201);
    const flowId = new URL(created.data.recovery_link).searchParams.get('flow')!;

    await database.query('BEGIN');
    let answered = false;
    try {
      await database.query('DELETE FROM identities WHERE id = $1', [user.identity.id]);
      const submitted = server.frontend
        .updateRecoveryFlow({
          flow: flowId,
          updateRecoveryFlowBody: { method: 'code', code: created.data.recovery_code },
        })
        .finally(() => (answered = true));
      const waits = await someoneWaits(database, () => answered);
      expect(answered).toBe(false);
      expect(waits).toBe(1);
      await database.query('COMMIT');
      const response = await submitted;
      expect(response.status, JSON.stringify(response.data)).toBe(200);
      const flow = response.data as RecoveryFlow;
      expect(flow.state).not.toBe('passed_challenge');
      expect(uiMessageIds(flow)).toContain(RECOVERY_CODE_INVALID);
      expect(flow).not.toHaveProperty('continue_with');
    } finally {
      if (!answered) await database.query('ROLLBACK').catch(() => undefined);
    }
    const { rows } = await database.query('SELECT count(*)::int AS n FROM sessions WHERE identity_id = $1', [
      user.identity.id,
    ]);
    expect(rows[0].n).toBe(0);
  });
});
