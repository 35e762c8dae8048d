import { ConfigError } from '../config/errors';
import { NameError } from '../naming/name-rules';

/** Errors that come from the user's own input: shown as a message, never as a stack trace. */
export function isUserError(error: unknown): error is Error {
  return error instanceof ConfigError || error instanceof NameError;
}

/**
 * Runs an app's main function. A mistake in the platform definition (ConfigError, or a NameError from a
 * composed name) is the user's to fix: its message, which lists every problem, goes to stderr and the exit code becomes 1, with no
 * stack trace. Anything else is a bug: the returned promise rejects and, left unhandled as in `bin/`,
 * Node prints its stack trace and exits 1.
 */
export function runApp(main: () => void | Promise<void>): Promise<void> {
  return Promise.resolve()
    .then(main)
    .catch((error: unknown) => {
      if (!isUserError(error)) throw error;
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 1;
    });
}
