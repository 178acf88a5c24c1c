import type { RegistrationFlow } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uiMessageIds, uniqueEmail } from '../../support/self-service.js';
import { codeIn, mailTo, startMailServer, type MailServer } from '../recovery/mail-flows.js';

// A schema with two addresses a code can sign up with: each receives a code of its own (as in
// Kratos), so the code entered proves exactly the address it was sent to, and no other.

const emailTrait = {
  type: 'string',
  format: 'email',
  'ory.sh/kratos': {
    credentials: { code: { identifier: true, via: 'email' } },
    verification: { via: 'email' },
  },
};
const SCHEMA = {
  $id: 'https://example.org/two-addresses.schema.json',
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  properties: {
    traits: {
      type: 'object',
      properties: { email: emailTrait, backup_email: emailTrait },
      required: ['email', 'backup_email'],
      additionalProperties: false,
    },
  },
};

let server: MailServer;

beforeAll(async () => {
  server = await startMailServer({
    IDENTITY_SCHEMAS: JSON.stringify([
      { id: 'two', url: `base64://${Buffer.from(JSON.stringify(SCHEMA)).toString('base64')}` },
    ]),
    IDENTITY_DEFAULT_SCHEMA_ID: 'two',
    SELFSERVICE_METHODS_CODE_PASSWORDLESS_ENABLED: 'true',
    SELFSERVICE_FLOWS_REGISTRATION_STYLE: 'unified',
    SELFSERVICE_FLOWS_VERIFICATION_ENABLED: 'false',
    SELFSERVICE_FLOWS_REGISTRATION_AFTER_CODE_HOOKS: '[{"hook":"session"}]',
  });
});

afterAll(async () => {
  await server?.stop();
});

describe('registration by code with two addresses', () => {
  it('sends each address its own code; the one entered verifies its address only, and the other stops working', async () => {
    const traits = { email: uniqueEmail('first'), backup_email: uniqueEmail('backup') };
    const { data: flow } = await server.frontend.createNativeRegistrationFlow();
    const before = server.sink.messages.length;
    const sent = await server.frontend.updateRegistrationFlow({
      flow: flow.id,
      updateRegistrationFlowBody: { method: 'code', traits },
    });
    expect(sent.status).toBe(400);
    expect(uiMessageIds(sent.data as unknown as RegistrationFlow)).toEqual([1040005]);
    const first = codeIn(await mailTo(server.sink, traits.email, before, /registration/i));
    const backup = codeIn(await mailTo(server.sink, traits.backup_email, before, /registration/i));
    expect(first).not.toBe(backup);

    const done = await server.frontend.updateRegistrationFlow({
      flow: flow.id,
      updateRegistrationFlowBody: { method: 'code', traits, code: first },
    });
    expect(done.status, JSON.stringify(done.data)).toBe(200);
    const verified = Object.fromEntries(
      (done.data.identity.verifiable_addresses ?? []).map((a) => [a.value, a.verified]),
    );
    expect(verified).toEqual({ [traits.email]: true, [traits.backup_email]: false });

    const again = await server.frontend.updateRegistrationFlow({
      flow: flow.id,
      updateRegistrationFlowBody: { method: 'code', traits, code: backup },
    });
    expect(again.status).not.toBe(200);
  });
});
