import { ConfigError } from './errors';
import { NameError } from '../naming/name-rules';

/** Errors that come from the user's own input: shown as a message, never as a stack trace. */
export function isUserError(error: unknown): error is Error {
  return error instanceof ConfigError || error instanceof NameError;
}

/**
 * Runs an app's main function. A mistake in the platform definition (ConfigError, or a NameError from a
 * composed name) is the user's to fix: its message, which lists every problem, goes to stderr and the
 * exit code becomes 1, with no stack trace. Any other error (a construct refusing its props, or a bug)
 * prints its message and how to see the stack trace (PLATFORM_DEBUG=1), and also exits 1; with
 * PLATFORM_DEBUG=1 the promise rejects and Node prints the full trace.
 */
export function runApp(main: () => void | Promise<void>): Promise<void> {
  return Promise.resolve()
    .then(main)
    .catch((error: unknown) => {
      if (!isUserError(error)) {
        if (process.env.PLATFORM_DEBUG === '1' || !(error instanceof Error)) throw error;
        process.stderr.write(`error: ${error.message}\n(set PLATFORM_DEBUG=1 to see the stack trace)\n`);
        process.exitCode = 1;
        return;
      }
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 1;
    });
}
