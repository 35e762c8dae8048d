#!/usr/bin/env node
import { platformCli } from '../ops/cli';

// `platform <command>`: the ops CLI (see `platform --help`). Wires the process to the CLI: argv, the
// environment, stdout/stderr, and Ctrl-C.
const args = process.argv.slice(2);

if (process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED === undefined && !args.includes('--debug')) {
  // The SDK's notice about the Node version is for developers; on-call output stays one clear line. --debug shows it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
}

// Ctrl-C during `run` stops waiting (exit 130) and reports what keeps running in AWS; a second Ctrl-C,
// or one during any other command, leaves at once.
const interrupt = new AbortController();
process.once('SIGINT', () => {
  if (args[0] !== 'run') process.exit(130);
  interrupt.abort();
  process.once('SIGINT', () => process.exit(130));
});

void platformCli(args, { stdout: process.stdout, stderr: process.stderr, env: process.env, signal: interrupt.signal }).then((code) => {
  process.exitCode = code;
});
