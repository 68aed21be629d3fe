import fc from 'fast-check';
import { makeItemEnvelope } from '../../../test/fixtures/envelopes';
import { ContractViolationError, EnvelopeTooLargeError } from './errors';
import { decodeItemEnvelope, encodeItemEnvelope } from './item-envelope';

describe('item envelope v1', () => {
  it('round-trips a valid envelope byte for byte', () => {
    const envelope = makeItemEnvelope();
    expect(decodeItemEnvelope(encodeItemEnvelope(envelope))).toEqual(envelope);
  });

  it('names the field of a missing title', () => {
    const envelope = makeItemEnvelope();
    const value = Buffer.from(JSON.stringify({ ...envelope, metadata: { category: 'shoes' } }));
    expect(() => decodeItemEnvelope(value)).toThrow(expect.objectContaining({ field: 'metadata.title' }));
  });

  it('names the field of a malformed content hash', () => {
    expect(() => encodeItemEnvelope(makeItemEnvelope({ contentHash: 'xyz' }))).toThrow(
      expect.objectContaining({ field: 'contentHash', message: expect.stringContaining('SHA-256') }),
    );
  });

  it('rejects an unknown schema version with the version it reads', () => {
    const value = Buffer.from(JSON.stringify({ ...makeItemEnvelope(), schema: 'catalens.item.v9' }));
    expect(() => decodeItemEnvelope(value)).toThrow(
      /unsupported schema catalens.item.v9; this consumer reads catalens.item.v1/,
    );
  });

  it('rejects unexpected fields instead of silently carrying them', () => {
    const value = Buffer.from(JSON.stringify({ ...makeItemEnvelope(), surprise: 1 }));
    expect(() => decodeItemEnvelope(value)).toThrow(ContractViolationError);
  });

  it('rejects an image whose declared size does not match its bytes', () => {
    const envelope = makeItemEnvelope();
    expect(() => encodeItemEnvelope({ ...envelope, image: { ...envelope.image, size: 1 } })).toThrow(
      expect.objectContaining({ field: 'image.size' }),
    );
  });

  it('refuses to encode an envelope over the size cap', () => {
    expect(() => encodeItemEnvelope(makeItemEnvelope(), 100)).toThrow(EnvelopeTooLargeError);
  });

  it('refuses to decode an oversized value before parsing it', () => {
    expect(() => decodeItemEnvelope(Buffer.alloc(2000, 0x20), 1000)).toThrow(EnvelopeTooLargeError);
  });

  it('turns empty and non-JSON values into contract violations', () => {
    expect(() => decodeItemEnvelope(null)).toThrow(ContractViolationError);
    expect(() => decodeItemEnvelope(Buffer.alloc(0))).toThrow(ContractViolationError);
    expect(() => decodeItemEnvelope(Buffer.from('{"schema":'))).toThrow(/not JSON/);
  });

  it('answers any byte string with an envelope or a contract violation, never another error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        try {
          decodeItemEnvelope(Buffer.from(bytes));
        } catch (error) {
          expect(error).toBeInstanceOf(ContractViolationError);
        }
      }),
    );
  });

  it('answers any JSON value with an envelope or a contract violation, never another error', () => {
    const base = makeItemEnvelope() as unknown as Record<string, unknown>;
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(base)), fc.jsonValue(), (field, junk) => {
        const value = Buffer.from(JSON.stringify({ ...base, [field]: junk }));
        try {
          decodeItemEnvelope(value);
        } catch (error) {
          expect(error).toBeInstanceOf(ContractViolationError);
          expect((error as ContractViolationError).field.split('.')[0]).toBe(field);
        }
      }),
    );
  });
});
