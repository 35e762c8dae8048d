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
  /**
   * Aborted at the --timeout deadline or on Ctrl-C: the call in flight is abandoned (its request is
   * aborted), no further attempt is made, and withRetry throws a CallAbortedError.
   */
  readonly signal?: AbortSignal;
}

/** The AWS operation a retried call makes, named in the messages, e.g. { service: 'Glue', operation: 'GetJobRun' }. */
export interface AwsCall {
  readonly service: string;
  readonly operation: string;
}

function callName(call: AwsCall | undefined): string {
  return call ? `${call.service} ${call.operation}` : 'the AWS call';
}

/** A retryable error on every attempt: withRetry gave up. `cause` is the last error. */
export class RetriesExhaustedError extends Error {
  constructor(
    readonly call: AwsCall | undefined,
    readonly attempts: number,
    readonly lastError: unknown,
  ) {
    const last = shape(lastError) as { name?: string; message?: string };
    super(
      `${callName(call)} failed on ${attempts === 1 ? 'its only attempt' : `all ${attempts} attempts`}: ` +
        `${last.name ?? 'Error'}: ${last.message ?? String(lastError)}`,
      { cause: lastError },
    );
    this.name = 'RetriesExhaustedError';
  }
}

/** The signal of RetryOptions aborted (--timeout deadline or Ctrl-C) before `call` answered. */
export class CallAbortedError extends Error {
  constructor(
    readonly call: AwsCall | undefined,
    /** True when a request was in flight (it may have reached AWS), false when none was sent. */
    readonly inFlight: boolean,
    /** How long the request in flight had waited for an answer. */
    readonly waitedMs = 0,
    options?: { cause?: unknown },
  ) {
    super(`${callName(call)} was abandoned ${inFlight ? 'before AWS answered' : 'before it was sent'}`, options);
    this.name = 'CallAbortedError';
  }
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
const SERVER_ERROR_NAMES = new Set([
  'InternalServiceException',
  'InternalServerError',
  'InternalServerException',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
]);
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

/** The SDK's NodeHttpHandler error when no connection was made within `connectionTimeout`. */
const CONNECTION_TIMEOUT_MESSAGE = /did not establish a connection with the server within the configured timeout of (\d+) ms/;
/** ... and when a request got no response within `requestTimeout` (with throwOnRequestTimeout). */
const REQUEST_TIMEOUT_MESSAGE = /exceeded the configured (\d+) ms requestTimeout/;
/** ... and when the socket was idle for `socketTimeout` while a response was awaited or read. */
const SOCKET_TIMEOUT_MESSAGE = /socket timed out after (\d+) ms of inactivity/;

/**
 * When AWS did not answer in time (a connection, request or socket timeout of the HTTP handler):
 * which timeout and its length. Undefined for any other error.
 */
export function noAnswer(error: unknown): { readonly timeout: 'connection' | 'request'; readonly ms?: number } | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 5; current = shape(current).cause, depth++) {
    const message = String((current as { message?: unknown }).message ?? '');
    const connection = CONNECTION_TIMEOUT_MESSAGE.exec(message);
    if (connection) return { timeout: 'connection', ms: Number(connection[1]) };
    const request = REQUEST_TIMEOUT_MESSAGE.exec(message) ?? SOCKET_TIMEOUT_MESSAGE.exec(message);
    if (request) return { timeout: 'request', ms: Number(request[1]) };
    // The handler names ECONNRESET and EPIPE TimeoutError too; only ETIMEDOUT is a request that got no answer.
    if (shape(current).name === 'TimeoutError' && shape(current).code === 'ETIMEDOUT') return { timeout: 'request' };
  }
  return undefined;
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

/** True when the request certainly never reached the service (refused, unresolved, or no connection in time). */
export function isNotConnected(error: unknown): boolean {
  const code = networkErrorCode(error);
  return (code !== undefined && NOT_CONNECTED_CODES.has(code)) || noAnswer(error)?.timeout === 'connection';
}

/** Throttling, a 5xx, a lost connection or a timeout: worth another attempt for a read. */
export function isTransient(error: unknown): boolean {
  const { name, $metadata } = shape(error);
  const status = $metadata?.httpStatusCode ?? 0;
  return (
    isThrottling(error) ||
    networkErrorCode(error) !== undefined ||
    status >= 500 ||
    (name !== undefined && (SERVER_ERROR_NAMES.has(name) || name === 'TimeoutError' || name === 'RequestTimeout'))
  );
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

/**
 * `promise`, or a rejection once `signal` aborts, whichever comes first: the SDK aborts the request
 * itself (abortSignal), but nothing else in a call (e.g. a credential provider) may wait for ever. An
 * answer that arrived as the signal aborted still wins (the rejection waits for pending callbacks).
 */
function unlessAborted<T>(answer: T | Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  // Mocked clients (aws-sdk-client-mock's callsFake) may answer with a plain value.
  const promise = Promise.resolve(answer);
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => setImmediate(() => reject(signal.reason));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Runs `call`, retrying it with backoff while it fails in a way `policy` deems retryable. `call` gets
 * the abort signal of the options, to pass to `client.send(command, { abortSignal })`. When every
 * attempt failed it throws a RetriesExhaustedError naming `site` and the attempts; when the signal
 * aborts, a CallAbortedError.
 */
export async function withRetry<T>(call: (signal?: AbortSignal) => Promise<T>, policy: RetryPolicy, options: RetryOptions = {}, site?: AwsCall): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 6;
  const clock = options.clock ?? systemClock;
  const { signal } = options;
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw new CallAbortedError(site, false);
    const sentAt = clock.now();
    try {
      return await unlessAborted(call(signal), signal);
    } catch (error) {
      if (signal?.aborted) throw new CallAbortedError(site, true, clock.now() - sentAt, { cause: error });
      if (!isRetryable(error, policy)) throw error;
      if (attempt >= maxAttempts) throw new RetriesExhaustedError(site, attempt, error);
      const delay = backoffDelay(attempt, options);
      options.onRetry?.(error, attempt, delay);
      await clock.sleep(delay, signal);
    }
  }
}
