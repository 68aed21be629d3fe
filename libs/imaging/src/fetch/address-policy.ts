import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Block = readonly [network: string, bits: number, name: string];

/**
 * IPv4 blocks of the IANA special-purpose registry (RFC 6890 and its updates) that are not
 * globally reachable, plus multicast and broadcast. Listed here rather than trusting one library's
 * range names, so the policy is readable in one place and a library upgrade cannot widen it.
 */
const IPV4_NOT_GLOBAL: readonly Block[] = [
  ['0.0.0.0', 8, 'this-network'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local (cloud metadata)'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, '6to4 relay anycast'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
  ['255.255.255.255', 32, 'broadcast'],
];

/**
 * IPv6 blocks inside global unicast (2000::/3) that are still not globally reachable. Everything
 * outside 2000::/3 is refused anyway (loopback, unspecified, IPv4-compatible ::/96, NAT64's
 * local-use 64:ff9b:1::/48, discard 100::/64, SRv6 5f00::/16, unique-local, link-local,
 * site-local, multicast and every unassigned block).
 */
const IPV6_NOT_GLOBAL: readonly Block[] = [
  ['2001::', 32, 'Teredo'],
  ['2001::', 23, 'IETF protocol assignments'],
  ['2001:db8::', 32, 'documentation'],
  ['2002::', 16, '6to4'],
  ['3fff::', 20, 'documentation'],
];

const parseBlocks = (blocks: readonly Block[]) =>
  blocks.map(([network, bits, name]) => [ipaddr.parse(network), bits, name] as const);
const V4_BLOCKS = parseBlocks(IPV4_NOT_GLOBAL);
const V6_BLOCKS = parseBlocks(IPV6_NOT_GLOBAL);
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');
const NAT64_WELL_KNOWN = ipaddr.parseCIDR('64:ff9b::/96');

const ipv4FromBits = (high16: number, low16: number): ipaddr.IPv4 =>
  new ipaddr.IPv4([high16 >> 8, high16 & 0xff, low16 >> 8, low16 & 0xff]);

/**
 * The IPv4 addresses an IPv6 address carries, by the transition mechanism that puts them there:
 * IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d, deprecated by RFC 4291 but still
 * routed to the IPv4 host by some stacks), NAT64 (64:ff9b::/96 and the local-use 64:ff9b:1::/48,
 * RFC 6052 / 8215), 6to4 (2002:AABB:CCDD::/48, RFC 3056) and Teredo (2001:0::/32, RFC 4380: the
 * server's address in bits 32–63, the client's obfuscated by XOR in bits 96–127).
 */
export function embeddedIpv4(ip: ipaddr.IPv6): { mechanism: string; addresses: ipaddr.IPv4[] } | undefined {
  const p = ip.parts;
  const zero = (from: number, to: number) => p.slice(from, to).every((x) => x === 0);
  if (ip.isIPv4MappedAddress()) return { mechanism: 'IPv4-mapped', addresses: [ip.toIPv4Address()] };
  if (zero(0, 6) && !(p[6] === 0 && p[7]! <= 1))
    return { mechanism: 'IPv4-compatible', addresses: [ipv4FromBits(p[6]!, p[7]!)] };
  if (p[0] === 0x64 && p[1] === 0xff9b && (zero(2, 6) || p[2] === 1))
    return { mechanism: 'NAT64', addresses: [ipv4FromBits(p[6]!, p[7]!)] };
  if (p[0] === 0x2002) return { mechanism: '6to4', addresses: [ipv4FromBits(p[1]!, p[2]!)] };
  if (p[0] === 0x2001 && p[1] === 0) {
    return {
      mechanism: 'Teredo',
      addresses: [ipv4FromBits(p[2]!, p[3]!), ipv4FromBits(p[6]! ^ 0xffff, p[7]! ^ 0xffff)],
    };
  }
  return undefined;
}

/**
 * Parses an address the way the URL and the socket see it. ipaddr.js alone is not faithful here:
 * it reads the IPv4-compatible `::127.0.0.1` as the IPv4-mapped `::ffff:127.0.0.1`, and glibc
 * prints compatible addresses in exactly that dotted form. So the text goes through the WHATWG
 * URL host parser first (IPv6 with embedded dotted quads; IPv4 in decimal, octal, hex and short
 * forms), and ipaddr.js only reads its canonical output.
 */
export function parseAddress(text: string): Address | undefined {
  const bare = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  try {
    if (bare.includes(':')) return ipaddr.IPv6.parse(new URL(`http://[${bare}]/`).hostname.slice(1, -1));
    const host = new URL(`http://${bare}/`).hostname;
    return ipaddr.IPv4.isValidFourPartDecimal(host) ? ipaddr.IPv4.parse(host) : undefined;
  } catch {
    return undefined;
  }
}

const blockOf = (ip: Address, blocks: ReturnType<typeof parseBlocks>): string | undefined =>
  blocks.find(([network, bits]) => network.kind() === ip.kind() && ip.match(network, bits))?.[2];

/** Undefined when the IPv4 address is globally reachable unicast, else the block's name. */
const ipv4Refusal = (ip: ipaddr.IPv4): string | undefined => blockOf(ip, V4_BLOCKS);

/**
 * Which network addresses an image URL may reach: global unicast only. Every IPv6 form that
 * carries an IPv4 address is unwrapped and the IPv4 judged; textual IPv4 forms (decimal, octal,
 * hex, short) never get here unnormalized, because the WHATWG URL parser and the resolver hand us
 * canonical addresses — and the address a socket actually connected to is checked again. A CIDR in
 * `allowCidrs` admits what it covers (an internal CDN; tests allow-list their loopback server).
 */
export class AddressPolicy {
  private readonly allowed: [Address, number][];

  constructor(allowCidrs: readonly string[] = []) {
    this.allowed = allowCidrs.map((cidr) => {
      try {
        return ipaddr.parseCIDR(cidr);
      } catch {
        throw new Error(`allow-list entry "${cidr}" is not a CIDR such as 127.0.0.1/32 or ::1/128`);
      }
    });
  }

  /** Undefined when the address may be reached, else why not (the range, and what it embeds). */
  forbiddenRange(address: string): string | undefined {
    const parsed = parseAddress(address);
    if (!parsed) return 'unparseable';
    // An IPv4-mapped address is the IPv4 address on the wire: judge (and allow-list) it as one.
    const ip =
      parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()
        ? (parsed as ipaddr.IPv6).toIPv4Address()
        : parsed;
    if (this.isAllowListed(ip)) return undefined;
    if (ip.kind() === 'ipv4') return ipv4Refusal(ip as ipaddr.IPv4);
    return this.ipv6Refusal(ip as ipaddr.IPv6);
  }

  private isAllowListed(ip: Address): boolean {
    return this.allowed.some(([net, bits]) => net.kind() === ip.kind() && ip.match(net, bits));
  }

  private ipv6Refusal(ip: ipaddr.IPv6): string | undefined {
    const embedded = embeddedIpv4(ip);
    if (embedded) {
      const inner = embedded.addresses.map((a) => [a, ipv4Refusal(a)] as const);
      const bad = inner.find(([, refusal]) => refusal);
      if (bad) return `${embedded.mechanism} form of ${bad[0].toString()}, ${bad[1]}`;
      // DNS64 networks reach public IPv4 hosts through the well-known NAT64 prefix (RFC 6052 §2.1
      // makes it globally meaningful). Every other transition form is refused outright: nothing a
      // catalog legitimately serves from needs it, and each one is a way around IPv4 checks.
      if (ip.match(NAT64_WELL_KNOWN)) return undefined;
      return `${embedded.mechanism} (an IPv6 form carrying ${inner.map(([a]) => a.toString()).join(' and ')})`;
    }
    if (!ip.match(GLOBAL_UNICAST_V6)) {
      const range = ip.range();
      return range === 'unicast' ? 'outside global unicast 2000::/3' : range;
    }
    return blockOf(ip, V6_BLOCKS);
  }
}

export const isIpLiteral = (host: string): boolean => parseAddress(host) !== undefined;
