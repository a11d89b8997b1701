// Errors that tell a sync job what to do next. The queue is the only retry owner: these errors
// are translated into BullMQ behaviour by src/jobs/sync-processor.ts.

/** Zoho cannot be used right now and the job must wait without spending a retry. */
export class WaitForZohoError extends Error {
  constructor(
    message: string,
    /** How long to wait before trying again. */
    readonly waitMs: number,
    /** Why, for the event's status in the dashboard. */
    readonly kind: 'not_connected' | 'needs_reconnect' | 'refresh_throttled' | 'quota' | 'locked_out',
  ) {
    super(message);
    this.name = 'WaitForZohoError';
  }
}

/** A transient failure: the queue retries the job with backoff. */
export class RetryLaterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RetryLaterError';
  }
}

/** Zoho will refuse this every time; retrying is pointless until data or settings change. */
export class PermanentSyncError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentSyncError';
  }
}
