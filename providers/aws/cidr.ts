/** IPv4 CIDR arithmetic for carving the stack's VPC into subnets. */

/** A parsed IPv4 CIDR block. */
export interface Cidr {
  /** The network address as an unsigned 32-bit number. */
  address: number;
  prefix: number;
}

/** Parses "a.b.c.d/n"; returns an error message when it is not a network address with that prefix. */
export function parseCidr(text: string): Cidr | { error: string } {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (!match) return { error: `${JSON.stringify(text)} is not an IPv4 CIDR block (e.g. 10.0.0.0/16)` };
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return { error: `${JSON.stringify(text)} is not an IPv4 CIDR block` };
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (address % size !== 0) {
    return { error: `${text} has host bits set: the network address of /${prefix} is ${format(address - (address % size))}` };
  }
  return { address, prefix };
}

/** Splits a block into `2 ** extraBits` equal blocks, in address order. */
export function splitCidr(cidr: Cidr, extraBits: number): Cidr[] {
  const prefix = cidr.prefix + extraBits;
  const size = 2 ** (32 - prefix);
  return Array.from({ length: 2 ** extraBits }, (_, i) => ({ address: cidr.address + i * size, prefix }));
}

/** "a.b.c.d/n". */
export function formatCidr(cidr: Cidr): string {
  return `${format(cidr.address)}/${cidr.prefix}`;
}

function format(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join(".");
}
