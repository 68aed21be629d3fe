/**
 * A record or request that does not satisfy a contract. `field` is a dotted path
 * (`image.bytes`, `metadata.price`), or `(root)` when the whole value is unusable.
 * Permanent by nature: retrying the same bytes cannot succeed.
 */
export class ContractViolationError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
    readonly code: string = 'CONTRACT_VIOLATION',
  ) {
    super(`${field}: ${reason}`);
    this.name = 'ContractViolationError';
  }
}

/** The encoded record would exceed the size cap that keeps it under the broker's message limit. */
export class EnvelopeTooLargeError extends ContractViolationError {
  constructor(
    readonly size: number,
    readonly limit: number,
  ) {
    super(
      '(root)',
      `encoded envelope is ${size} bytes, over the ${limit}-byte cap; send a smaller image`,
      'ENVELOPE_TOO_LARGE',
    );
    this.name = 'EnvelopeTooLargeError';
  }
}

/** Truncates a value for an error message so hostile input cannot flood logs. */
export function preview(value: unknown, max = 60): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}
