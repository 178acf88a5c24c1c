import { isIP } from 'node:net';
import { type ConfigService } from './config.service.js';

/** Whether an address only this machine can reach: `localhost`, 127.0.0.0/8, `::1`. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || /^::ffff:127\./.test(bare);
  return false;
}

export type AdminExposure =
  | { kind: 'protected' | 'loopback' }
  | { kind: 'refused'; line: string }
  | { kind: 'opted_out'; line: string };

/**
 * The admin API can create, read and delete every identity. Reachable from other machines it
 * needs keys, or an operator who says in the config that something else guards it.
 */
export function adminExposure(config: ConfigService): AdminExposure {
  if (config.adminApiKeys.length > 0) return { kind: 'protected' };
  const { host } = config.listen('admin');
  if (isLoopbackHost(host)) return { kind: 'loopback' };
  const where = `serve.admin.host is "${host}"`;
  if (config.get<boolean>('serve.admin.allow_unauthenticated') === true) {
    return {
      kind: 'opted_out',
      line: `${where} and serve.admin.allow_unauthenticated is true: the admin API answers anyone who reaches it; set serve.admin.api_keys (tessera admin-key new)`,
    };
  }
  return {
    kind: 'refused',
    line: `serve.admin.api_keys: is required when ${where} (not loopback); create one with \`tessera admin-key new\`, or set serve.admin.allow_unauthenticated: true`,
  };
}
