// A failed LMDB commit (a full disk, an I/O error) must cost the requests in that commit a 500,
// never the process. lmdb-js rejects every write promise of the failed transaction with
// "Commit failed" and hangs the underlying error on a second promise, `commitError`, which it
// also rejects; nothing else handles those, and Node ends the process on an unhandled rejection.

/** The error lmdb-js rejects the writes of a failed transaction with. */
export interface CommitFailure extends Error {
  commitError: Promise<never>;
}

export function isCommitFailure(reason: unknown): reason is CommitFailure {
  return reason instanceof Error && 'commitError' in reason && reason.commitError instanceof Promise;
}

/**
 * Marks a write whose outcome is reported elsewhere (it joined a conditional write's batch, whose
 * own promise carries the failure to the caller) so its rejection is not "unhandled".
 */
export function joinedWrite(write: Promise<unknown>): void {
  write.catch(observeCommitFailure);
}

/** Handles the `commitError` promise of a commit failure; other errors pass through untouched. */
export function observeCommitFailure(reason: unknown, onCause?: (cause: unknown) => void): void {
  if (isCommitFailure(reason)) reason.commitError.catch(onCause ?? (() => undefined));
}
