/**
 * How long one attempt of an AWS call may take. Without them an endpoint that accepts connections
 * but never answers (a firewall that drops, a stalled proxy or VPC endpoint) holds a call for ever
 * (EMR) or for 15 minutes (Glue's default socket timeout). Kept apart from aws-clients.ts, which
 * loads the SDK, so that the help and the option parsing do not.
 */
export interface HttpTimeouts {
  /** Until the TCP (and TLS) connection is made. */
  readonly connectionTimeoutMs: number;
  /** Until the response starts, once connected; also the longest silence while the response is read. */
  readonly requestTimeoutMs: number;
}

/** Glue and EMR control-plane calls answer in well under a second; these leave room for slow networks. */
export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = { connectionTimeoutMs: 5_000, requestTimeoutMs: 30_000 };

/** Environment variables that set the timeouts when the options (--connect-timeout, --request-timeout) are not given. */
export const HTTP_TIMEOUT_ENV = { connect: 'PLATFORM_CONNECT_TIMEOUT', request: 'PLATFORM_REQUEST_TIMEOUT' } as const;

/**
 * How long `platform status` waits for the Athena query that reads the batch log (--query-timeout):
 * a query of one small table usually ends within seconds, but may queue behind others in the workgroup.
 */
export const DEFAULT_QUERY_TIMEOUT_MS = 120_000;
