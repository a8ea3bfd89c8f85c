import type { AppContext } from '../platform/app.ts';

/** Exit codes of the `abonent` command: 0 done, 1 failure (e.g. database down), 2 bad input. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;

/** A refusal of bad input: printed with its reason code, exit code 2, nothing written. */
export class CliInputError extends Error {
  constructor(
    public readonly code: string,
    message: string,
    public readonly details?: unknown,
  ) {
    super(message);
  }
}

/** A check that ran and found problems (already printed): exit code 1, no further text. */
export class CliCheckFailed extends Error {}

export interface CliContext {
  /** Opens the database (embedded or DATABASE_URL) with migrations applied; the caller closes nothing. */
  app(): Promise<AppContext>;
  /** Writes a line to stdout. */
  out(text: string): void;
  /** Writes a line to stderr (progress, diagnostics). */
  err(text: string): void;
  /** Whether stderr is a terminal (progress bars only then). */
  interactive: boolean;
}
