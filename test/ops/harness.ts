// The SDK's notice about Node 20 is noise in test output; the CLI silences it the same way.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

import { type CliIo, platformCli } from '../../ops/cli';
import { type Clock } from '../../ops/clock';
import { EXAMPLE_DEFINITION_FILE } from '../fixtures/platform';

/** A clock whose sleeps take no time: each advances `now` by the time slept and is recorded. */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(public current = Date.UTC(2026, 10, 28, 3, 0, 0)) {}
  now(): number {
    return this.current;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.current += ms;
  }
}

/** A writable that keeps what is written. */
export class Capture {
  text = '';
  constructor(readonly isTTY = false) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process against the example definition (unless --config is given) with a fake clock. */
export async function runCli(args: readonly string[], io: Partial<CliIo> & { tty?: boolean } = {}): Promise<CliRun> {
  const stdout = new Capture();
  const stderr = new Capture(io.tty ?? false);
  const code = await platformCli(args, {
    clock: new FakeClock(),
    retry: { random: () => 0.5 },
    ...io,
    stdout,
    stderr,
    env: { PLATFORM_CONFIG: EXAMPLE_DEFINITION_FILE, ...io.env },
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** An error shaped like the SDK's service exceptions. */
export function awsError(name: string, message: string, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode }, $fault: httpStatusCode >= 500 ? 'server' : 'client' });
}

/** An error shaped like a refused connection, as the SDK's node HTTP handler throws it. */
export function connectionRefused(port = 4566): Error {
  return Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:${port}`), { code: 'ECONNREFUSED', address: '127.0.0.1', port, $metadata: { attempts: 1 } });
}
