import { describe, expect, it } from 'vitest';
import { FlowRejectedError } from '../../flow/index.js';
import { interruption } from './web-hook-answer.js';
import { buildCall, parseWebHookConfig } from './web-hook.config.js';

const config = (extra: Record<string, unknown> = {}) =>
  parseWebHookConfig({ url: 'http://hook.test/x', method: 'post', body: 'base64://e30=', ...extra });

describe('a web hook call', () => {
  it('is JSON by default, with basic auth and the trigger id', () => {
    const call = buildCall(config({ auth: { type: 'basic_auth', config: { user: 'u', password: 'p' } } }), {
      body: { a: 1 },
      timeoutMs: 100,
      triggerId: 't-1',
    });
    expect(call).toEqual({
      url: 'http://hook.test/x',
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: 'Basic dTpw',
        'Ory-Webhook-Trigger-ID': 't-1',
      },
      body: '{"a":1}',
      timeoutMs: 100,
    });
  });

  it('form-encodes a flat object and puts an API key in a cookie', () => {
    const call = buildCall(
      config({
        id: 'crm',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        auth: { type: 'api_key', config: { name: 'k', value: 'v', in: 'cookie' } },
      }),
      { body: { email: 'a@b.c', n: 2 }, timeoutMs: 1 },
    );
    expect(call.body).toBe('email=a%40b.c&n=2');
    expect(call.headers['Cookie']).toBe('k=v');
    expect(call.hookId).toBe('crm');
  });

  it('refuses other content types', () => {
    expect(() =>
      buildCall(config({ headers: { 'Content-Type': 'text/plain' } }), { body: {}, timeoutMs: 1 }),
    ).toThrow(/not supported/);
  });

  it('reads ignore, parse, can_interrupt and emit_analytics_event', () => {
    expect(config({ response: { ignore: true }, emit_analytics_event: false })).toMatchObject({
      ignore: true,
      parse: false,
      canInterrupt: false,
      emitAnalyticsEvent: false,
    });
    expect(config({ can_interrupt: true })).toMatchObject({ canInterrupt: true, emitAnalyticsEvent: true });
  });
});

describe('an interrupting answer', () => {
  it('names nodes from JSON pointers and keeps id, text, type and context', () => {
    const error = interruption(
      JSON.stringify({
        messages: [
          {
            instance_ptr: '#/traits/email',
            messages: [{ id: 1, text: 'no', type: 'error', context: { a: 1 } }],
          },
          { instance_ptr: '#/', messages: [{ id: 2, text: 'whole', type: 'warning' }] },
        ],
      }),
      400,
    );
    expect(error).toBeInstanceOf(FlowRejectedError);
    expect(error.nodes).toEqual([
      { name: 'traits.email', messages: [{ id: 1, text: 'no', type: 'error', context: { a: 1 } }] },
      { name: '', messages: [{ id: 2, text: 'whole', type: 'info' }] },
    ]);
  });

  it('without messages, or not JSON, is a failure of the hook', () => {
    expect(() => interruption('{"messages":[]}', 400)).toThrow(/without messages/);
    expect(() => interruption('<html>', 400)).toThrow(/not JSON/);
  });
});
