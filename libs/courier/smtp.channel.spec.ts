import { describe, expect, it } from 'vitest';
import { smtpTransportOptions } from './smtp.channel.js';

const options = (connectionUri: string) =>
  smtpTransportOptions({ connectionUri, fromAddress: 'a@b.c', headers: {}, localName: 'tessera.local' });

describe('smtpTransportOptions', () => {
  it('enforces StartTLS with certificate checks on smtp:// by default', () => {
    expect(options('smtp://user:p%40ss@mail.test:2525/')).toMatchObject({
      host: 'mail.test',
      port: 2525,
      secure: false,
      requireTLS: true,
      ignoreTLS: false,
      name: 'tessera.local',
      auth: { user: 'user', pass: 'p@ss' },
      tls: { rejectUnauthorized: true },
    });
  });

  it('allows cleartext with disable_starttls and self-signed certificates with skip_ssl_verify', () => {
    expect(options('smtp://mail.test:25/?disable_starttls=true')).toMatchObject({
      requireTLS: false,
      ignoreTLS: true,
      auth: undefined,
    });
    expect(options('smtps://mail.test/?skip_ssl_verify=true&server_name=mx.test')).toMatchObject({
      port: 465,
      secure: true,
      requireTLS: false,
      tls: { rejectUnauthorized: false, servername: 'mx.test' },
    });
  });
});
