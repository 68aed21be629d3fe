/** The broker could not be reached or did not acknowledge in time. Transient: retry later. */
export class BusUnavailableError extends Error {
  readonly retryable = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BusUnavailableError';
  }
}

/** The broker refused the record itself (too large, invalid topic). Permanent for that record. */
export class BusRecordRejectedError extends Error {
  readonly retryable = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BusRecordRejectedError';
  }
}
