/**
 * Error classes of the package. A {@link ReplyError} is Redis's error
 * reply (its message is Redis's text, byte for byte); the others are the
 * package's own failures.
 */

/** An error reply from the engine, e.g. `WRONGTYPE Operation against a key holding the wrong kind of value`. */
export class ReplyError extends Error {
  /** The error code: the first word of the message (`ERR`, `WRONGTYPE`, `NOSCRIPT`, ...). */
  readonly code: string;
  /** The command that failed, when known (set by the clients that know it). */
  command?: { name: string; args: unknown[] };
  /** Builds an error from Redis's error text. */
  constructor(message: string) {
    super(message);
    this.name = 'ReplyError';
    const sp = message.indexOf(' ');
    this.code = sp > 0 ? message.slice(0, sp) : message;
  }
}

/** The wasm instance trapped (a bug in redlet). Every later call on it throws this; open the database again to load what its storage holds. */
export class EngineDeadError extends Error {
  /** Builds the error; `cause` is the original trap. */
  constructor(cause?: unknown) {
    super(
      'redlet: the engine crashed (a WebAssembly trap, which is a bug in redlet) and was closed; ' +
        'open the database again with Redlet.open to load what its storage holds' +
        (cause instanceof Error ? ` (${cause.message})` : ''),
      { cause },
    );
    this.name = 'EngineDeadError';
  }
}

/** The database was closed with `close()`. */
export class ClosedError extends Error {
  /** Builds the error. */
  constructor(what = 'database') {
    super(`redlet: the ${what} is closed`);
    this.name = 'ClosedError';
  }
}

/** Storage could not be read at open (corrupt, newer format) or written. The stored data is left untouched. */
export class StorageError extends Error {
  /** Builds the error. */
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'StorageError';
  }
}
