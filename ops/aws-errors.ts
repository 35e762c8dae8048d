import { OpsError } from './errors';
import { isNotConnected, networkErrorCode } from './retry';

interface AwsErrorShape {
  name?: string;
  message?: string;
  address?: string;
  port?: number;
  $metadata?: unknown;
  cause?: unknown;
}

const CREDENTIAL_ERRORS = new Set(['UnrecognizedClientException', 'InvalidClientTokenId', 'InvalidSignatureException', 'SignatureDoesNotMatch', 'IncompleteSignature']);
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

/**
 * One line that says what went wrong talking to AWS and what to do about it, or undefined when
 * `error` is not an AWS or network error (then it is a bug, shown with its stack trace).
 */
export function describeAwsError(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { name = '', message } = error as AwsErrorShape;
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message ?? '')) {
    return 'no AWS credentials found by the default credential chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE and ~/.aws config or SSO, container or instance role); sign in (e.g. aws sso login --profile <profile>) or set AWS_PROFILE, then retry';
  }
  if (EXPIRED_ERRORS.has(name)) return `the AWS credentials have expired (${name}); sign in again (e.g. aws sso login) and retry`;
  if (CREDENTIAL_ERRORS.has(name)) return `AWS rejected the credentials (${name}: ${firstLine(message)}); check AWS_PROFILE or the access keys in use`;
  if (DENIED_ERRORS.has(name)) return `access denied by AWS: ${firstLine(message)}`;
  const code = networkErrorCode(error);
  if (code) {
    const hint = isNotConnected(error) ? 'check AWS_ENDPOINT_URL, the network and any proxy' : 'the connection was lost; retry';
    return `cannot reach ${networkTarget(error)} (${code}); ${hint}`;
  }
  if (name === 'TimeoutError') return `AWS did not answer in time (${firstLine(message)}); check the network and retry`;
  if ('$metadata' in error) return `${name || 'AWS error'}: ${firstLine(message) || '(no message)'}`;
  return undefined;
}

/** `error` as an OpsError when it is an AWS or network error; `error` itself otherwise. */
export function asOpsError(error: unknown, context?: string): unknown {
  if (error instanceof OpsError) return error;
  const description = describeAwsError(error);
  return description ? new OpsError(context ? `${context}: ${description}` : description, undefined, { cause: error }) : error;
}
