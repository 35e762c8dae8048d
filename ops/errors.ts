import { EXIT_CODES, type ExitCode } from './exit-codes';

/**
 * A failure the person at the terminal can act on: its message is printed as is (one or a few lines,
 * no stack trace) and the CLI exits with `exitCode`. The cause, if any, is shown with --debug.
 */
export class OpsError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT_CODES.failed,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'OpsError';
  }
}

/** The command line is wrong (exit 2). */
export class UsageError extends OpsError {
  constructor(message: string) {
    super(message, EXIT_CODES.usage);
    this.name = 'UsageError';
  }
}
