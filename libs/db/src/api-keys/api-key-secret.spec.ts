import fc from 'fast-check';
import { apiKeyMatches, generateApiKey, hashApiKey, parseApiKey } from './api-key-secret';

describe('API key secrets', () => {
  it('generates keys that parse back to their prefix', () => {
    const { key, prefix } = generateApiKey();
    expect(key).toMatch(/^clk_[0-9A-Za-z]{10}_[0-9A-Za-z]{32}$/);
    expect(parseApiKey(key)).toEqual({ prefix });
  });

  it('never generates the same key twice in 1,000 draws', () => {
    const keys = new Set(Array.from({ length: 1000 }, () => generateApiKey().key));
    expect(keys.size).toBe(1000);
  });

  it('matches only the key it hashed, and only with the same pepper', () => {
    const { key } = generateApiKey();
    const stored = hashApiKey(key, 'pepper-a');
    expect(apiKeyMatches(key, stored, 'pepper-a')).toBe(true);
    expect(apiKeyMatches(key, stored, 'pepper-b')).toBe(false);
    expect(apiKeyMatches(generateApiKey().key, stored, 'pepper-a')).toBe(false);
  });

  it('rejects arbitrary strings without throwing', () => {
    fc.assert(
      fc.property(fc.string(), (junk) => {
        expect(parseApiKey(junk)).toBeUndefined();
        expect(apiKeyMatches(junk, 'zz', 'p')).toBe(false);
      }),
    );
  });
});
