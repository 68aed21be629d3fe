import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const API_KEY_ROLES = ['ingest', 'search', 'curate', 'admin'] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KEY_PATTERN = /^clk_([0-9A-Za-z]{10})_([0-9A-Za-z]{32})$/;

function base62(bytes: number): string {
  // Rejection sampling keeps every character equally likely.
  let out = '';
  while (out.length < bytes) {
    for (const b of randomBytes(bytes * 2)) {
      if (b < 248 && out.length < bytes) out += BASE62[b % 62];
    }
  }
  return out;
}

export interface ApiKeySecret {
  /** The whole key, shown to its owner once: `clk_<prefix>_<secret>`. */
  key: string;
  /** Public part, stored in clear to find the key and to name it in listings. */
  prefix: string;
}

/** A new key with ~190 bits of secret entropy. */
export function generateApiKey(): ApiKeySecret {
  const prefix = base62(10);
  return { key: `clk_${prefix}_${base62(32)}`, prefix };
}

/** The prefix of a well-formed key, or undefined for anything else (never throws on junk). */
export function parseApiKey(key: string): { prefix: string } | undefined {
  const match = KEY_PATTERN.exec(key);
  return match ? { prefix: match[1]! } : undefined;
}

/**
 * Keys are random and long, so a keyed hash (HMAC-SHA256 with a server-side pepper) is the
 * right storage: a stolen table cannot be checked offline without the pepper, and a lookup
 * costs microseconds instead of a password hash's deliberate hundreds of milliseconds.
 */
export function hashApiKey(key: string, pepper: string): string {
  return createHmac('sha256', pepper).update(key).digest('hex');
}

export function apiKeyMatches(key: string, storedHash: string, pepper: string): boolean {
  const actual = Buffer.from(hashApiKey(key, pepper), 'hex');
  const expected = Buffer.from(storedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
