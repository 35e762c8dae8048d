import type { HttpTimeouts } from './http-timeouts';
import { type AwsCall, type RetryOptions, type RetryPolicy, withRetry } from './retry';

/**
 * JSON over HTTPS for the clouds without an SDK client here (the Data Factory REST API of Azure
 * Resource Manager, the Databricks REST API), with the same retries, timeouts and abort as the AWS
 * calls: a failed response becomes an error shaped like an SDK service exception (its `name` the
 * service's error code, `$metadata.httpStatusCode` its status), so throttling (429) and 5xx are
 * retried and described by the same code as AWS errors.
 */
export interface RestClient {
  /** `base` URL the paths are relative to, e.g. https://management.azure.com. */
  readonly base: string;
  request<T>(method: 'GET' | 'POST', path: string, body: unknown, call: AwsCall, policy: RetryPolicy): Promise<T>;
}

export interface RestClientProps {
  readonly base: string;
  /** The bearer token of each request (asked for on every attempt, so an expired one is renewed). */
  readonly token: () => Promise<string>;
  readonly timeouts: HttpTimeouts;
  readonly retry: RetryOptions;
}

/** The service's error response as an SDK-shaped error. */
export class RestError extends Error {
  readonly $metadata: { readonly httpStatusCode: number };
  constructor(name: string, message: string, status: number) {
    super(message);
    this.name = name;
    this.$metadata = { httpStatusCode: status };
  }
}

/** The error code and message of an ARM (`{error: {code, message}}`) or Databricks (`{error_code, message}`) error body. */
function errorOf(status: number, text: string): RestError {
  let code: string | undefined;
  let message: string | undefined;
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string }; error_code?: string; message?: string };
    code = body.error?.code ?? body.error_code;
    message = body.error?.message ?? body.message;
  } catch {
    // not JSON: the text itself is the message
  }
  const name = code ?? (status === 429 ? 'TooManyRequests' : `Http${status}`);
  return new RestError(name, message ?? (text.slice(0, 200) || `HTTP ${status}`), status);
}

export function createRestClient(props: RestClientProps): RestClient {
  const base = props.base.replace(/\/+$/, '');
  return {
    base,
    async request<T>(method: 'GET' | 'POST', path: string, body: unknown, call: AwsCall, policy: RetryPolicy): Promise<T> {
      return withRetry(
        async (signal) => {
          const token = await props.token();
          const timeoutMs = props.timeouts.requestTimeoutMs;
          const timeout = AbortSignal.timeout(timeoutMs);
          let response: Response;
          try {
            response = await fetch(`${base}${path}`, {
              method,
              headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
              body: body === undefined ? undefined : JSON.stringify(body),
              signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
            });
          } catch (error) {
            // The wording the SDK's handler uses, so that the timeout is reported (and exits) the same way.
            if (timeout.aborted && !signal?.aborted)
              throw Object.assign(new Error(`${call.service} ${call.operation}: request exceeded the configured ${timeoutMs} ms requestTimeout`), {
                name: 'TimeoutError',
              });
            throw error;
          }
          const text = await response.text();
          if (!response.ok) throw errorOf(response.status, text);
          return (text ? JSON.parse(text) : {}) as T;
        },
        policy,
        props.retry,
        call,
      );
    },
  };
}
