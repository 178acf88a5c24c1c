import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAddresses, sleep, uniqueEmail } from '../../support/self-service.js';
import { codeIn, mailsTo, mailTo, registeredUser, startMailServer, type MailServer } from './mail-flows.js';

// The send limit protects a mailbox from floods without becoming a way to keep its owner from a
// code: it counts per address and client, so a stranger asking for the owner's address spends
// only their own allowance. Clients are told apart by X-Forwarded-For from the trusted proxy.

let server: MailServer;
const freshAddress = clientAddresses();
const from = (ip: string) => ({ headers: { 'X-Forwarded-For': ip } });

beforeAll(async () => {
  server = await startMailServer({ SERVE_PUBLIC_TRUSTED_PROXIES: '["loopback"]' });
});

afterAll(async () => {
  await server?.stop();
});

async function askForCode(email: string, ip: string): Promise<string> {
  const { data: flow } = await server.frontend.createNativeRecoveryFlow(from(ip));
  const sent = await server.frontend.updateRecoveryFlow(
    { flow: flow.id, updateRecoveryFlowBody: { method: 'code', email } },
    from(ip),
  );
  expect(sent.status).toBe(200);
  expect(sent.data.state).toBe('sent_email');
  return flow.id;
}

describe('the per-address send limit', () => {
  it('a stranger who spent it for the owner address does not keep the owner from a code', async () => {
    const email = uniqueEmail('send-limit-owner');
    await registeredUser(server, email);
    const stranger = freshAddress();
    for (let i = 0; i < 7; i++) await askForCode(email, stranger);
    await sleep(1_000);
    // Five reached the mailbox; the stranger's sixth and seventh were answered alike, not sent.
    expect(mailsTo(server.sink, email).filter((mail) => /recover/i.test(mail.subject))).toHaveLength(5);

    const before = server.sink.messages.length;
    const flowId = await askForCode(email, freshAddress());
    const code = codeIn(await mailTo(server.sink, email, before, /recover/i));
    const recovered = await server.frontend.updateRecoveryFlow({
      flow: flowId,
      updateRecoveryFlowBody: { method: 'code', code },
    });
    expect(recovered.status, JSON.stringify(recovered.data)).toBe(200);
    expect(recovered.data.state).toBe('passed_challenge');
  });
});
