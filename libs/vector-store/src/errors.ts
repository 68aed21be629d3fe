/** The caller asked for something invalid; retrying the same call fails the same way. */
export class VectorStoreInputError extends Error {
  constructor(
    /** Path of the offending input, e.g. `points[3].vectors.visual` or `filter.must[0].key`. */
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'VectorStoreInputError';
  }
}

export class CollectionNotFoundError extends Error {
  constructor(readonly collection: string) {
    super(`collection or alias "${collection}" does not exist; create it with ensureCollection()`);
    this.name = 'CollectionNotFoundError';
  }
}

/** `ensureCollection` found a collection of that name with a different shape. */
export class CollectionMismatchError extends Error {
  constructor(
    readonly collection: string,
    detail: string,
  ) {
    super(
      `collection "${collection}" exists with a different shape (${detail}); ` +
        'index into a new collection and switch an alias to it instead of changing it in place',
    );
    this.name = 'CollectionMismatchError';
  }
}

/** The store cannot be reached or failed; the call may succeed later. */
export class VectorStoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'VectorStoreUnavailableError';
  }
}
