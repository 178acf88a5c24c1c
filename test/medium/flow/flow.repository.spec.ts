import { describe, expect, it } from 'vitest';
import {
  csrfNode,
  FlowErrorRepository,
  FlowRepository,
  LoginFlowEntity,
  RegistrationFlowEntity,
} from '../../../libs/flow/index.js';
import { Clock, newId } from '../../../libs/persistence/index.js';
import { freshDatabaseEach, TEST_DATABASES } from '../../support/databases.js';

function flowFields(now: Date) {
  const id = newId();
  return {
    id,
    type: 'browser' as const,
    requestUrl: 'http://127.0.0.1:4433/self-service/login/browser',
    returnTo: 'http://127.0.0.1:4455/after',
    issuedAt: now,
    expiresAt: new Date(now.getTime() + 60_000),
    state: 'choose_method',
    active: null,
    ui: {
      action: `http://127.0.0.1:4433/self-service/login?flow=${id}`,
      method: 'POST' as const,
      nodes: [csrfNode('')],
    },
    csrfTokenHash: 'a'.repeat(64),
    identitySchema: null,
    transientPayload: { note: 'for the hooks only' },
    createdAt: now,
    updatedAt: now,
  };
}

describe.each(TEST_DATABASES)('flow repositories on $dialect', (database) => {
  const fresh = freshDatabaseEach(database);

  it('stores a login flow with its ui container and reads it back unchanged', async () => {
    const repository = new FlowRepository(fresh.db, LoginFlowEntity);
    const flow = Object.assign(new LoginFlowEntity(), flowFields(new Date()), {
      refresh: true,
      requestedAal: 'aal1' as const,
    });
    await repository.insert(flow);
    const found = await repository.findById(flow.id);
    expect(found?.ui).toEqual(flow.ui);
    expect(found?.refresh).toBe(true);
    // Kratos' `transient_payload` reaches the hooks on the flow in memory and is never stored.
    expect(found?.transientPayload).toBeNull();
    expect(flow.transientPayload).toEqual({ note: 'for the hooks only' });
    expect(found?.expiresAt.getTime()).toBe(flow.expiresAt.getTime());
    found!.state = 'passed_challenge';
    found!.ui.messages = [{ id: 4000006, text: 'x', type: 'error' }];
    await repository.update(found!);
    expect((await repository.findById(flow.id))?.ui.messages).toEqual([
      { id: 4000006, text: 'x', type: 'error' },
    ]);
  });

  it('keeps login and registration flows apart', async () => {
    const logins = new FlowRepository(fresh.db, LoginFlowEntity);
    const registrations = new FlowRepository(fresh.db, RegistrationFlowEntity);
    const flow = Object.assign(new RegistrationFlowEntity(), flowFields(new Date()));
    await registrations.insert(flow);
    expect(await registrations.findById(flow.id)).not.toBeNull();
    expect(await logins.findById(flow.id)).toBeNull();
  });

  it('stores errors for the error UI and marks them seen on first read', async () => {
    const errors = new FlowErrorRepository(fresh.db, new Clock());
    const id = await errors.store({
      code: 403,
      status: 'Forbidden',
      id: 'security_csrf_violation',
      message: 'csrf',
    });
    const first = await errors.read(id);
    expect(first?.error).toMatchObject({ id: 'security_csrf_violation', code: 403 });
    expect(first?.seenAt).toBeNull();
    expect((await errors.read(id))?.seenAt).toBeInstanceOf(Date);
    expect(await errors.read(newId())).toBeNull();
  });
});
