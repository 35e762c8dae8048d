/**
 * IPv4 arithmetic for carving subnets out of a virtual network's address space.
 */

/** A parsed IPv4 CIDR block. */
export interface Ipv4Block {
  /** The network address as an unsigned 32-bit number. */
  readonly address: number;
  readonly prefixLength: number;
}

/** Parses `a.b.c.d/n`; throws an Error that names `what` and the value when it is not a valid block. */
export function parseIpv4Block(cidr: string, what: string): Ipv4Block {
  const match = /^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\/([0-9]{1,2})$/.exec(cidr);
  const octets = match ? match.slice(1, 5).map(Number) : [];
  const prefixLength = match ? Number(match[5]) : NaN;
  if (!match || octets.some((octet) => octet > 255) || prefixLength > 32) {
    throw new Error(`${what} ("${cidr}") must be an IPv4 CIDR block such as 10.10.0.0/16`);
  }
  const address = octets.reduce((sum, octet) => sum * 256 + octet, 0);
  if (address % 2 ** (32 - prefixLength) !== 0) {
    throw new Error(`${what} ("${cidr}") has host bits set; use the network address of the /${prefixLength} block`);
  }
  return { address, prefixLength };
}

function format(block: Ipv4Block): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(block.address / 2 ** shift) % 256);
  return `${octets.join('.')}/${block.prefixLength}`;
}

/** The `index`-th block of `newPrefixLength` inside `block`, e.g. (10.10.0.0/16, 18, 1) → 10.10.64.0/18. */
export function subnetOf(block: Ipv4Block, newPrefixLength: number, index: number): string {
  const count = 2 ** (newPrefixLength - block.prefixLength);
  if (newPrefixLength < block.prefixLength || newPrefixLength > 32 || index < 0 || index >= count) {
    throw new Error(`subnet ${index} of /${newPrefixLength} does not fit in ${format(block)}`);
  }
  return format({ address: block.address + index * 2 ** (32 - newPrefixLength), prefixLength: newPrefixLength });
}
