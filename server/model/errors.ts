/** Errors are part of the interface: each has a stable `code` that the CLI and GraphQL surface. */

export type ErrorCode =
  | 'BAD_INPUT'
  | 'SECRET_REFUSED'
  | 'UNKNOWN_FORMAT'
  | 'TOO_LARGE'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'STORE_UNAVAILABLE'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'LIMIT_EXCEEDED'
  | 'TIMEOUT'
  | 'INTERNAL';

export class BlastError extends Error {
  readonly code: ErrorCode;
  /** The input the error is about: a file name, an id, a GraphQL argument. */
  readonly input?: string;
  /** Where in the input: `line 12` or a JSON pointer such as `/services/3/holds/0`. */
  readonly location?: string;

  constructor(code: ErrorCode, message: string, opts: { input?: string; location?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'BlastError';
    this.code = code;
    this.input = opts.input;
    this.location = opts.location;
  }

  /** One line naming the input, the place and the problem, as the CLI prints it. */
  oneLine(): string {
    const where = [this.input, this.location].filter(Boolean).join(' at ');
    return (where ? `${where}: ` : '') + this.message.replace(/\s*\n\s*/g, ' ');
  }
}

export function badInput(message: string, input?: string, location?: string): BlastError {
  return new BlastError('BAD_INPUT', message, { input, location });
}
