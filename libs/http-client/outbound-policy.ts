import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { isPrivateAddress } from './private-address.js';

/** `clients.http`: whether outbound calls may reach private addresses, and the exact URLs that may anyway. */
export interface OutboundPolicy {
  readonly disallowPrivate: boolean;
  readonly exceptionUrls: ReadonlySet<string>;
}

const OPEN: OutboundPolicy = { disallowPrivate: false, exceptionUrls: new Set() };

/** One policy per process, as Kratos has one HTTP client per process; the composition root installs it. */
let current: OutboundPolicy = OPEN;

export function installOutboundPolicy(policy: OutboundPolicy): void {
  current = policy;
}

export function resetOutboundPolicy(): void {
  current = OPEN;
}

/** A call refused because its host is, or resolves to, a private address. */
export class PrivateAddressError extends Error {
  override readonly name = 'PrivateAddressError';
  readonly code = 'EPRIVATEADDRESS';
  constructor(address: string) {
    super(
      `prohibited IP address: ${address} is not a permitted destination (clients.http.disallow_private_ip_ranges)`,
    );
  }
}

/**
 * The address check at connect time, on what DNS answered, so that a name cannot pass a check
 * and then resolve elsewhere: every address of the name must be public.
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    const refused = addresses.find(({ address }) => isPrivateAddress(address));
    if (refused) return callback(new PrivateAddressError(refused.address), '', 0);
    if (options.all) return (callback as (e: null, all: LookupAddress[]) => void)(null, addresses);
    const [first] = addresses;
    if (!first)
      return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
    callback(null, first.address, first.family);
  });
};

/**
 * Whether the policy guards a call to `url` (`raw` as configured, for the exact-match exceptions);
 * a guarded call must connect through `publicOnlyLookup`. Throws at once for a private address
 * written as an IP, which no lookup would see.
 */
export function isGuarded(url: URL, raw: string): boolean {
  if (!current.disallowPrivate || current.exceptionUrls.has(raw)) return false;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0 && isPrivateAddress(host)) throw new PrivateAddressError(host);
  return true;
}
