import { createHmac, timingSafeEqual } from 'node:crypto';

/** Lifetime of a thumbnail link; links are re-issued on every read of the item. */
const VALID_S = 24 * 3600;
/** Expiries are rounded up to the hour, so one item's link is the same for an hour (cacheable). */
const ROUND_S = 3600;

export interface ThumbnailRef {
  itemId: string;
  /** The normalized image's SHA-256: a new image is a new link. */
  contentHash: string;
  /** Unix seconds. */
  expires: number;
}

/**
 * Signed, expiring thumbnail links: `<img src>` cannot send an API key, so the link itself is the
 * permission — an HMAC over item, image and expiry with a key derived from API_KEY_PEPPER.
 */
export class ThumbnailSigner {
  private readonly key: Buffer;

  constructor(pepper: string) {
    this.key = createHmac('sha256', pepper).update('catalens thumbnail links v1').digest();
  }

  private mac(ref: ThumbnailRef): Buffer {
    return createHmac('sha256', this.key)
      .update(`${ref.itemId}.${ref.contentHash}.${ref.expires}`)
      .digest()
      .subarray(0, 16);
  }

  /** Path and query of the item's thumbnail, valid for at least 23 hours from `now`. */
  path(itemId: string, contentHash: string, now = Date.now()): string {
    const expires = Math.ceil((now / 1000 + VALID_S - ROUND_S) / ROUND_S) * ROUND_S;
    const sig = this.mac({ itemId, contentHash, expires }).toString('base64url');
    return `/v1/thumbnails/${itemId}?h=${contentHash.slice(0, 16)}&exp=${expires}&sig=${sig}`;
  }

  /** Why a link is not valid for this item and image, or undefined when it is. */
  verify(ref: ThumbnailRef, sig: string, now = Date.now()): 'expired' | 'bad-signature' | undefined {
    const given = Buffer.from(sig, 'base64url');
    const expected = this.mac(ref);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'bad-signature';
    if (ref.expires * 1000 < now) return 'expired';
    return undefined;
  }
}
