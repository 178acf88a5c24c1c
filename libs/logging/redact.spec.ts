import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor } from './redact.js';

describe('Redactor', () => {
  const redactor = new Redactor(['PLEASE-CHANGE-ME-I-AM-VERY-INSECURE', 'pw']);

  it('masks values under credential keys at any depth', () => {
    const record = {
      body: { traits: { email: 'a@b.c' }, credentials: { password: { config: { password: 'hunter22' } } } },
      headers: {
        authorization: 'Bearer ory_st_x',
        cookie: 'ory_kratos_session=abc',
        'x-session-token': 'st',
      },
      hashed_password: '$argon2id$v=19$m=1',
      recovery_code: '123456',
      status: 200,
    };
    expect(redactor.value(record)).toEqual({
      body: { traits: { email: 'a@b.c' }, credentials: { password: REDACTED } },
      headers: { authorization: REDACTED, cookie: REDACTED, 'x-session-token': REDACTED },
      hashed_password: REDACTED,
      recovery_code: REDACTED,
      status: 200,
    });
  });

  it('masks configured secrets wherever they appear in text, ignoring very short ones', () => {
    expect(redactor.text('cookie secret PLEASE-CHANGE-ME-I-AM-VERY-INSECURE in use; pw stays')).toBe(
      `cookie secret ${REDACTED} in use; pw stays`,
    );
  });

  it('masks secrets inside error messages and stacks', () => {
    const out = redactor.value(new Error('bad PLEASE-CHANGE-ME-I-AM-VERY-INSECURE')) as { message: string };
    expect(out.message).toBe(`bad ${REDACTED}`);
  });
});
