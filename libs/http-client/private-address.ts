import { BlockList, isIP } from 'node:net';

/** IPv4 ranges that are not the public internet (RFC 6890 special-purpose registry). */
const PRIVATE_V4: Array<[string, number]> = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

/**
 * IPv6 is allowed only inside global unicast (2000::/3), which leaves out loopback, unspecified,
 * link-local, unique-local, multicast, IPv4-mapped and NAT64 addresses in one rule; inside it,
 * Teredo, documentation and 6to4 (which can carry any IPv4 address) are refused too.
 */
const GLOBAL_V6: Array<[string, number]> = [['2000::', 3]];
const SPECIAL_V6: Array<[string, number]> = [
  ['2001::', 32],
  ['2001:db8::', 32],
  ['2002::', 16],
];

function blockList(family: 'ipv4' | 'ipv6', subnets: Array<[string, number]>): BlockList {
  const list = new BlockList();
  for (const [network, prefix] of subnets) list.addSubnet(network, prefix, family);
  return list;
}

const privateV4 = blockList('ipv4', PRIVATE_V4);
const globalV6 = blockList('ipv6', GLOBAL_V6);
const specialV6 = blockList('ipv6', SPECIAL_V6);

/**
 * True for any address outside the public internet (loopback, private, link-local, carrier-grade
 * NAT, multicast, reserved, and their IPv6 counterparts), and for anything that is not an address.
 */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  switch (isIP(bare)) {
    case 4:
      return privateV4.check(bare, 'ipv4');
    case 6:
      return !globalV6.check(bare, 'ipv6') || specialV6.check(bare, 'ipv6');
    default:
      return true;
  }
}
