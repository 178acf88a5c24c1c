import { describe, expect, it } from 'vitest';
import { csrfNode, FlowRepository, LoginFlowEntity } from '../../../libs/flow/index.js';
import { newId } from '../../../libs/persistence/index.js';
import { freshDatabaseEach, TEST_DATABASES } from '../../support/databases.js';

function loginFlow(internalContext: Record<string, unknown> | null): LoginFlowEntity {
  const now = new Date();
  const id = newId();
  return Object.assign(new LoginFlowEntity(), {
    id,
    type: 'browser' as const,
    requestUrl: 'http://127.0.0.1:4433/self-service/login/browser',
    returnTo: null,
    issuedAt: now,
    expiresAt: new Date(now.getTime() + 60_000),
    state: 'choose_method',
    active: null,
    ui: {
      action: `http://127.0.0.1:4433/self-service/login?flow=${id}`,
      method: 'POST' as const,
      nodes: [csrfNode('m')],
    },
    csrfTokenHash: 'a'.repeat(64),
    identitySchema: null,
    transientPayload: null,
    internalContext,
    createdAt: now,
    updatedAt: now,
    refresh: false,
    requestedAal: 'aal1' as const,
  });
}

// A WebAuthn challenge is spent by swapping the flow's internal context: compare-and-set, so two
// requests that read the same challenge cannot both spend it.
describe.each(TEST_DATABASES)('spending a value in internal_context on $dialect', (database) => {
  const fresh = freshDatabaseEach(database);

  it('lets only the first of two readers of the same context swap it', async () => {
    const flows = new FlowRepository(fresh.db, LoginFlowEntity);
    const read = { passkey_login: { challenge: 'c1' }, other: { n: 1 } };
    const flow = loginFlow(read);
    await flows.insert(flow);
    const loaded = (await flows.findById(flow.id))!.internalContext;
    expect(loaded).toEqual(read);

    expect(await flows.swapInternalContext(flow.id, loaded, { other: { n: 1 } })).toBe(true);
    expect(await flows.swapInternalContext(flow.id, loaded, { other: { n: 1 } })).toBe(false);
    expect((await flows.findById(flow.id))!.internalContext).toEqual({ other: { n: 1 } });
  });

  it('never swaps a flow without a context or another flow', async () => {
    const flows = new FlowRepository(fresh.db, LoginFlowEntity);
    const empty = loginFlow(null);
    const other = loginFlow({ passkey_login: { challenge: 'c2' } });
    await flows.insert(empty);
    await flows.insert(other);
    expect(await flows.swapInternalContext(empty.id, null, { x: 1 })).toBe(false);
    expect(await flows.swapInternalContext(empty.id, { passkey_login: { challenge: 'c2' } }, {})).toBe(false);
    expect((await flows.findById(other.id))!.internalContext).toEqual({ passkey_login: { challenge: 'c2' } });
  });
});
