import { type Clock, systemClock } from './clock';

/**
 * Retries of AWS calls. The SDK clients are built with `maxAttempts: 1` so that this is the one retry
 * policy (tested with mocked clients, which bypass the SDK's own retry middleware): capped exponential
 * backoff with full jitter, as in the AWS Architecture Blog's "Exponential Backoff and Jitter".
 *
 * Reads (Get*, List*, Describe*) are retried on every transient error. Calls that start work
 * (StartJobRun, AddJobFlowSteps) have no idempotency token, so they are retried only when the service
 * certainly did not act: throttling, or a connection that was never made.
 */
export interface RetryOptions {
  /** Attempts in all, the first included. @default 6 */
  readonly maxAttempts?: number;
  /** Backoff cap of the first retry; doubles on each retry. @default 250 ms */
  readonly baseDelayMs?: number;
  /** Upper bound of one backoff. @default 20 s */
  readonly maxDelayMs?: number;
  /** @default the system clock */
  readonly clock?: Clock;
  /** A number in [0, 1). @default Math.random */
  readonly random?: () => number;
  /** Called before each backoff, e.g. to log it with --debug. */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

export type RetryPolicy = 'read' | 'start';

const THROTTLING_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'ProvisionedThroughputExceededException',
  'SlowDown',
]);
const SERVER_ERROR_NAMES = new Set(['InternalServiceException', 'InternalServerError', 'InternalServerException', 'InternalFailure', 'ServiceUnavailable', 'ServiceUnavailableException']);
const NOT_CONNECTED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const CONNECTION_LOST_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED']);

interface ErrorShape {
  name?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
  cause?: unknown;
}

function shape(error: unknown): ErrorShape {
  return typeof error === 'object' && error !== null ? (error as ErrorShape) : {};
}

const NETWORK_CODE_IN_MESSAGE = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ECONNRESET|ETIMEDOUT|EPIPE|ECONNABORTED)\b/;

/**
 * The network error code (ECONNREFUSED...) of `error` or of its causes. The message is read too: when
 * the SDK cannot recognise an error object (one from another realm, as under jest) it wraps it as
 * "AWS SDK error wrapper for Error: connect ECONNREFUSED ..." and the code survives only as text.
 */
export function networkErrorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 5; current = shape(current).cause, depth++) {
    const code = shape(current).code;
    if (code && (NOT_CONNECTED_CODES.has(code) || CONNECTION_LOST_CODES.has(code))) return code;
    const inMessage = NETWORK_CODE_IN_MESSAGE.exec(String((current as { message?: unknown }).message ?? ''))?.[1];
    if (inMessage) return inMessage;
  }
  return undefined;
}

export function isThrottling(error: unknown): boolean {
  const { name, $metadata, $retryable } = shape(error);
  return (name !== undefined && THROTTLING_NAMES.has(name)) || $metadata?.httpStatusCode === 429 || $retryable?.throttling === true;
}

/** True when the request certainly never reached the service. */
export function isNotConnected(error: unknown): boolean {
  const code = networkErrorCode(error);
  return code !== undefined && NOT_CONNECTED_CODES.has(code);
}

/** Throttling, a 5xx, a lost connection or a timeout: worth another attempt for a read. */
export function isTransient(error: unknown): boolean {
  const { name, $metadata } = shape(error);
  const status = $metadata?.httpStatusCode ?? 0;
  return isThrottling(error) || networkErrorCode(error) !== undefined || status >= 500 || (name !== undefined && (SERVER_ERROR_NAMES.has(name) || name === 'TimeoutError' || name === 'RequestTimeout'));
}

export function isRetryable(error: unknown, policy: RetryPolicy): boolean {
  return policy === 'read' ? isTransient(error) : isThrottling(error) || isNotConnected(error);
}

/** Backoff before retry number `retry` (1-based): uniformly random in [0, min(max, base * 2^(retry-1))]. */
export function backoffDelay(retry: number, options: RetryOptions = {}): number {
  const base = options.baseDelayMs ?? 250;
  const cap = options.maxDelayMs ?? 20_000;
  const random = options.random ?? Math.random;
  return Math.floor(random() * Math.min(cap, base * 2 ** (retry - 1)));
}

/** Runs `call`, retrying it with backoff while it fails in a way `policy` deems retryable. */
export async function withRetry<T>(call: () => Promise<T>, policy: RetryPolicy, options: RetryOptions = {}): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 6;
  const clock = options.clock ?? systemClock;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= maxAttempts || !isRetryable(error, policy)) throw error;
      const delay = backoffDelay(attempt, options);
      options.onRetry?.(error, attempt, delay);
      await clock.sleep(delay);
    }
  }
}
