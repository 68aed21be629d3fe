import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { AddressPolicy, embeddedIpv4 } from './address-policy';
import { ImageFetchError } from './fetch-errors';
import { SafeImageFetcher } from './safe-image-fetcher';
import {
  RESERVED_IPV4_BLOCKS,
  ipv4Forms,
  ipv4Octets,
  ipv4ToInt,
  ipv6FormsCarrying,
  urlHost,
} from '../../../../test/fixtures/address-forms';

/** IPv6 blocks that carry no IPv4 address and are not global unicast. */
const RESERVED_V6: [string, number][] = [
  ['::', 128],
  ['::1', 128],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['3fff::', 20],
  ['5f00::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
  ['4000::', 2],
  ['0100::', 8],
];

const toInt = ipv4ToInt;
const octets = ipv4Octets;
const v4Forms = ipv4Forms;
const v6CarrierForms = ipv6FormsCarrying;

const v4In = ([network, bits]: [string, number]) =>
  fc.integer({ min: 0, max: 2 ** (32 - bits) - 1 }).map((host) => (toInt(network) + host) >>> 0);
const reservedV4 = fc.oneof(...RESERVED_IPV4_BLOCKS.map(v4In));

const v6In = ([network, bits]: [string, number]) =>
  fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }).map((random) => {
    const net = ipaddr.IPv6.parse(network).parts;
    const parts = net.map((part, i) => {
      const keep = Math.max(0, Math.min(16, bits - i * 16));
      const mask = keep === 0 ? 0 : (0xffff << (16 - keep)) & 0xffff;
      return (part & mask) | (random[i]! & ~mask & 0xffff);
    });
    return new ipaddr.IPv6(parts);
  });

const v6Forms = (ip: ipaddr.IPv6): string[] => {
  const fixed = ip.parts.map((part) => part.toString(16).padStart(4, '0')).join(':');
  return [ip.toString(), ip.toNormalizedString(), fixed, fixed.toUpperCase()];
};

const global = fc
  .integer({ min: 0x01000000, max: 0xdfffffff })
  .filter((n) =>
    RESERVED_IPV4_BLOCKS.every(([net, bits]) => n >>> (32 - bits) !== toInt(net) >>> (32 - bits)),
  );

describe('AddressPolicy (global unicast only)', () => {
  const policy = new AddressPolicy();
  const fetcher = new SafeImageFetcher();
  afterAll(() => fetcher.close());

  /** checkUrl is the check each hop's URL goes through, before any socket is opened. */
  const refusal = (host: string): ImageFetchError | undefined => {
    try {
      fetcher.checkUrl(`http://${urlHost(host)}:8080/x.jpg`);
      return undefined;
    } catch (error) {
      if (error instanceof ImageFetchError) return error;
      throw error;
    }
  };

  it('refuses every reserved IPv4 address in every textual form a URL parser accepts', () => {
    fc.assert(
      fc.property(reservedV4, (n) => {
        for (const form of v4Forms(n))
          expect([form, refusal(form)?.code]).toEqual([form, 'URL_ADDRESS_FORBIDDEN']);
      }),
      { numRuns: 400 },
    );
  });

  it('refuses every reserved IPv4 address inside every IPv6 form that carries one', () => {
    fc.assert(
      fc.property(reservedV4, (n) => {
        for (const form of v6CarrierForms(n)) {
          expect([form, policy.forbiddenRange(form)]).toEqual([form, expect.any(String)]);
          expect([form, refusal(form)?.code]).toEqual([form, 'URL_ADDRESS_FORBIDDEN']);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('refuses every reserved IPv6 block in compressed, expanded and upper-case notation', () => {
    fc.assert(
      fc.property(fc.oneof(...RESERVED_V6.map(v6In)), (ip) => {
        for (const form of v6Forms(ip))
          expect([form, refusal(form)?.code]).toEqual([form, 'URL_ADDRESS_FORBIDDEN']);
      }),
      { numRuns: 400 },
    );
  });

  it('admits global IPv4 addresses in every textual form, and through the well-known NAT64 prefix', () => {
    fc.assert(
      fc.property(global, (n) => {
        for (const form of v4Forms(n)) expect([form, refusal(form)]).toEqual([form, undefined]);
        const dotted = octets(n).join('.');
        expect(policy.forbiddenRange(`::ffff:${dotted}`)).toBeUndefined();
        expect(policy.forbiddenRange(`64:ff9b::${dotted}`)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('refuses 6to4, Teredo and IPv4-compatible forms even of a global IPv4 address', () => {
    fc.assert(
      fc.property(global, (n) => {
        for (const form of v6CarrierForms(n).filter(
          (f) => !/^(::ffff|0:0:0:0:0:ffff|0000|64:ff9b::)/i.test(f),
        ))
          expect([form, policy.forbiddenRange(form)]).toEqual([form, expect.any(String)]);
      }),
      { numRuns: 200 },
    );
  });

  it('admits global IPv6 unicast addresses', () => {
    fc.assert(
      fc.property(fc.oneof(v6In(['2400::', 6]), v6In(['2600::', 7]), v6In(['2a00::', 8])), (ip) => {
        for (const form of v6Forms(ip)) expect([form, refusal(form)]).toEqual([form, undefined]);
      }),
      { numRuns: 200 },
    );
  });

  it('names the IPv4 address an IPv6 literal carries in its refusal', () => {
    expect(refusal('::127.0.0.1')?.message).toMatch(/IPv4-compatible form of 127\.0\.0\.1, loopback/);
    expect(policy.forbiddenRange('64:ff9b::a9fe:a9fe')).toMatch(/NAT64 form of 169\.254\.169\.254/);
    expect(
      embeddedIpv4(ipaddr.IPv6.parse('2001:0:4136:e378:8000:63bf:3fff:fdd2'))?.addresses.map(String),
    ).toEqual(['65.54.227.120', '192.0.2.45']);
  });

  it('admits what an allow-list CIDR covers, and judges an IPv4-mapped address as its IPv4', () => {
    const allowing = new AddressPolicy(['127.0.0.1/32', 'fd00::/8']);
    expect(allowing.forbiddenRange('127.0.0.1')).toBeUndefined();
    expect(allowing.forbiddenRange('::ffff:127.0.0.1')).toBeUndefined();
    expect(allowing.forbiddenRange('fd00::5')).toBeUndefined();
    expect(allowing.forbiddenRange('127.0.0.2')).toBe('loopback');
    expect(allowing.forbiddenRange('::127.0.0.1')).toMatch(/IPv4-compatible/);
  });

  it('refuses an allow-list entry that is not a CIDR, naming it', () => {
    expect(() => new AddressPolicy(['10.0.0.0'])).toThrow(/"10\.0\.0\.0" is not a CIDR/);
  });
});
