import { ThumbnailSigner } from './thumbnail-signer';

const item = '3b1f6c1e-7d2a-4c55-9a53-2f7e8b7f0a11';
const hash = 'ab'.repeat(32);

function parse(path: string) {
  const url = new URL(path, 'http://x');
  return {
    itemId: url.pathname.split('/').at(-1)!,
    expires: Number(url.searchParams.get('exp')),
    sig: url.searchParams.get('sig')!,
  };
}

describe('ThumbnailSigner', () => {
  const signer = new ThumbnailSigner('unit-test-pepper-0123456789');
  const now = Date.UTC(2026, 10, 23, 12, 30);

  it('issues links valid for 23 to 24 hours, the same within an hour', () => {
    const link = parse(signer.path(item, hash, now));
    expect(link.expires * 1000 - now).toBeGreaterThanOrEqual(23 * 3600_000);
    expect(link.expires * 1000 - now).toBeLessThanOrEqual(24 * 3600_000);
    expect(signer.path(item, hash, now + 10 * 60_000)).toBe(signer.path(item, hash, now));
    expect(
      signer.verify({ itemId: item, contentHash: hash, expires: link.expires }, link.sig, now),
    ).toBeUndefined();
  });

  it('refuses another item, another image, a moved expiry, a foreign key and an old link', () => {
    const link = parse(signer.path(item, hash, now));
    const ref = { itemId: item, contentHash: hash, expires: link.expires };
    expect(signer.verify({ ...ref, itemId: item.replace('3b', '3c') }, link.sig, now)).toBe('bad-signature');
    expect(signer.verify({ ...ref, contentHash: 'cd'.repeat(32) }, link.sig, now)).toBe('bad-signature');
    expect(signer.verify({ ...ref, expires: ref.expires + 3600 }, link.sig, now)).toBe('bad-signature');
    expect(new ThumbnailSigner('another-pepper-0123456789').verify(ref, link.sig, now)).toBe('bad-signature');
    expect(signer.verify(ref, 'garbage', now)).toBe('bad-signature');
    expect(signer.verify(ref, link.sig, (ref.expires + 1) * 1000)).toBe('expired');
  });
});
