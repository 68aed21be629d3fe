import ipaddr from 'ipaddr.js';

/**
 * Which network addresses an image URL may reach. Only public unicast addresses by default:
 * loopback, private (RFC 1918, fc00::/7), link-local (169.254/16 with the cloud metadata
 * endpoints, fe80::/10), multicast, CGNAT, reserved and unspecified ranges are refused unless a
 * CIDR in `allowCidrs` admits them (tests allow-list their loopback image server this way).
 */
export class AddressPolicy {
  private readonly allowed: [ipaddr.IPv4 | ipaddr.IPv6, number][];

  constructor(allowCidrs: readonly string[] = []) {
    this.allowed = allowCidrs.map((cidr) => {
      try {
        return ipaddr.parseCIDR(cidr);
      } catch {
        throw new Error(`allow-list entry "${cidr}" is not a CIDR such as 127.0.0.1/32 or ::1/128`);
      }
    });
  }

  /** Undefined when the address may be reached, else the name of the range that forbids it. */
  forbiddenRange(address: string): string | undefined {
    let ip: ipaddr.IPv4 | ipaddr.IPv6;
    try {
      // process() turns IPv4-mapped IPv6 (::ffff:127.0.0.1) into the IPv4 it hides.
      ip = ipaddr.process(address);
    } catch {
      return 'unparseable';
    }
    if (this.allowed.some(([net, bits]) => net.kind() === ip.kind() && ip.match(net, bits))) return undefined;
    const range = ip.range();
    return range === 'unicast' ? undefined : range;
  }
}

export const isIpLiteral = (host: string): boolean => ipaddr.isValid(host.replace(/^\[|\]$/g, ''));
