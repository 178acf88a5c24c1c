import { describe, expect, it } from 'vitest';
import { csrfNode, inputNode, type NodeGroup } from '../core/index.js';
import { orderSettingsNodes } from './settings-nodes.js';

const node = (group: NodeGroup, name: string) => inputNode(group, { name, type: 'text' });
const names = (nodes: ReturnType<typeof node>[]) => nodes.map((n) => `${n.group}:${n.attributes['name']}`);

describe('orderSettingsNodes', () => {
  it("puts groups in Kratos' settings order and keeps the order within each group", () => {
    const ordered = orderSettingsNodes([
      node('totp', 'totp_code'),
      node('password', 'password'),
      node('webauthn', 'webauthn_register'),
      node('profile', 'traits.email'),
      csrfNode('x'),
      node('lookup_secret', 'lookup_secret_regenerate'),
      node('profile', 'method'),
      node('password', 'method'),
    ]);
    expect(names(ordered)).toEqual([
      'default:csrf_token',
      'profile:traits.email',
      'profile:method',
      'password:password',
      'password:method',
      'lookup_secret:lookup_secret_regenerate',
      'webauthn:webauthn_register',
      'totp:totp_code',
    ]);
  });
});
