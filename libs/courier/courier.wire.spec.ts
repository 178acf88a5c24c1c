import { describe, expect, it } from 'vitest';
import { CourierMessageEntity } from './courier-message.entity.js';
import { messageJson, REDACTED_BODY } from './courier.wire.js';

const message = Object.assign(new CourierMessageEntity(), {
  id: '0190f0a0-0000-7000-8000-000000000001',
  type: 'email',
  status: 'sent',
  recipient: 'a@example.com',
  subject: 'Use code 123456 to log in',
  body: 'code 123456',
  bodyHtml: '<p>code 123456</p>',
  templateType: 'login_code_valid',
  sendCount: 1,
  channel: 'email',
  createdAt: new Date('2026-01-01T00:00:00Z'),
  updatedAt: new Date('2026-01-01T00:00:01Z'),
  dispatches: [],
});

describe('messageJson', () => {
  it('shows subject and plaintext body only in --dev, as Kratos does', () => {
    expect(messageJson(message, true)).toMatchObject({ subject: message.subject, body: 'code 123456' });
    const hidden = messageJson(message, false);
    expect(hidden).toMatchObject({ subject: REDACTED_BODY, body: REDACTED_BODY, recipient: 'a@example.com' });
    expect(JSON.stringify(hidden)).not.toContain('123456');
  });
});
