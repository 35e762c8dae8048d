import { missingProfileMessage } from './aws-profile';
import { formatDuration } from './duration';
import { OpsError } from './errors';
import { EXIT_CODES, type ExitCode } from './exit-codes';
import { type AwsCall, CallAbortedError, isNotConnected, isThrottling, networkErrorCode, noAnswer, RetriesExhaustedError } from './retry';

interface AwsErrorShape {
  name?: string;
  message?: string;
  address?: string;
  port?: number;
  $metadata?: unknown;
  cause?: unknown;
}

const CREDENTIAL_ERRORS = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
]);
const EXPIRED_ERRORS = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired']);
const DENIED_ERRORS = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation']);

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n')[0].trim();
}

function networkTarget(error: unknown): string {
  for (let current = error as AwsErrorShape | undefined, depth = 0; current && depth < 5; current = current.cause as AwsErrorShape | undefined, depth++) {
    if (current.address) return `${current.address}${current.port ? `:${current.port}` : ''}`;
    const inMessage = /\b[A-Z]+ ([\w.-]+:\d+)/.exec(current.message ?? '')?.[1];
    if (inMessage) return inMessage;
  }
  return 'the AWS endpoint';
}

function callName(call: AwsCall | undefined): string {
  return call ? `${call.service} ${call.operation}` : 'the AWS call';
}

function attemptsText(attempts: number): string {
  return attempts === 1 ? 'its only attempt' : `all ${attempts} attempts`;
}

/** `300ms`, `5s`, `1m30s`. */
function durationText(ms: number): string {
  return ms < 1_000 ? `${ms}ms` : formatDuration(ms);
}

/** AWS gave no answer (connection or request timeout) to `call`, on every one of `attempts` when given. */
function noAnswerText(error: unknown, call?: AwsCall, attempts?: number): string | undefined {
  const timedOut = noAnswer(error);
  if (!timedOut) return undefined;
  const option = timedOut.timeout === 'connection' ? '--connect-timeout' : '--request-timeout';
  const limit = `the ${timedOut.ms === undefined ? '' : `${durationText(timedOut.ms)} `}${timedOut.timeout} timeout`;
  const what =
    timedOut.timeout === 'connection'
      ? `AWS did not accept a connection${call ? ` for ${callName(call)}` : ''}`
      : `AWS did not answer${call ? ` ${callName(call)}` : ''}`;
  const tries = attempts === undefined ? '' : ` on ${attemptsText(attempts)}`;
  return (
    `${what} within ${limit}${tries}; check AWS_ENDPOINT_URL, the network and any proxy, or allow ` +
    `more with ${option}${attempts === undefined ? '' : ' or AWS_MAX_ATTEMPTS'}`
  );
}

/**
 * One line that says what went wrong talking to AWS and what to do about it, or undefined when
 * `error` is not an AWS or network error (then it is a bug, shown with its stack trace). With `env`,
 * a credentials error says whether AWS_PROFILE names a profile that does not exist.
 */
export function describeAwsError(error: unknown, env?: Readonly<Record<string, string | undefined>>): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  if (error instanceof RetriesExhaustedError) {
    const { call, attempts, lastError } = error;
    const last = lastError as AwsErrorShape;
    if (isThrottling(lastError)) {
      return (
        `${callName(call)} was throttled on ${attemptsText(attempts)} (${last.name}: ${firstLine(last.message) || '(no message)'}); ` +
        `retry later, or set AWS_MAX_ATTEMPTS above ${attempts} for more attempts`
      );
    }
    const timedOut = noAnswerText(lastError, call, attempts);
    if (timedOut) return timedOut;
    const description = describeAwsError(lastError, env) ?? `${last.name ?? 'Error'}: ${firstLine(last.message)}`;
    return `${description} (${callName(call)} failed on ${attemptsText(attempts)}; set AWS_MAX_ATTEMPTS above ${attempts} for more)`;
  }
  if (error instanceof CallAbortedError) return `no answer from AWS to ${callName(error.call)} before the CLI stopped waiting`;
  const { name = '', message } = error as AwsErrorShape;
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message ?? '')) {
    const missingProfile = env && missingProfileMessage(env);
    if (missingProfile) return missingProfile;
    const profile = env?.AWS_PROFILE;
    if (profile) {
      const detail = /Could not load credentials from any providers/i.test(message ?? '')
        ? 'an SSO session that expired, or a profile without credentials?'
        : firstLine(message);
      return `no AWS credentials from AWS_PROFILE "${profile}" (${detail}); sign in (e.g. aws sso login --profile ${profile}) or check the profile, then retry`;
    }
    return (
      'no AWS credentials found by the default credential chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, ' +
      'AWS_PROFILE and ~/.aws config or SSO, container or instance role); sign in (e.g. aws sso login ' +
      '--profile <profile>) or set AWS_PROFILE, then retry'
    );
  }
  if (EXPIRED_ERRORS.has(name)) return `the AWS credentials have expired (${name}); sign in again (e.g. aws sso login) and retry`;
  if (CREDENTIAL_ERRORS.has(name)) return `AWS rejected the credentials (${name}: ${firstLine(message)}); check AWS_PROFILE or the access keys in use`;
  if (DENIED_ERRORS.has(name)) return `access denied by AWS: ${firstLine(message)}`;
  const timedOut = noAnswerText(error);
  if (timedOut) return timedOut;
  const code = networkErrorCode(error);
  if (code) {
    const hint = isNotConnected(error) ? 'check AWS_ENDPOINT_URL, the network and any proxy' : 'the connection was lost; retry';
    return `cannot reach ${networkTarget(error)} (${code}); ${hint}`;
  }
  if (name === 'TimeoutError') return `AWS did not answer in time (${firstLine(message)}); check the network and retry`;
  if ('$metadata' in error) return `${name || 'AWS error'}: ${firstLine(message) || '(no message)'}`;
  return undefined;
}

/** The exit code of a failed AWS call: EXIT_CODES.noAnswer when AWS did not answer in time, else failed. */
export function awsExitCode(error: unknown): ExitCode {
  const last = error instanceof RetriesExhaustedError ? error.lastError : error;
  return noAnswer(last) ? EXIT_CODES.noAnswer : EXIT_CODES.failed;
}

/** `error` as an OpsError when it is an AWS or network error; `error` itself otherwise. */
export function asOpsError(error: unknown, context?: string, env?: Readonly<Record<string, string | undefined>>): unknown {
  if (error instanceof OpsError) return error;
  const description = describeAwsError(error, env);
  return description ? new OpsError(context ? `${context}: ${description}` : description, awsExitCode(error), { cause: error }) : error;
}
