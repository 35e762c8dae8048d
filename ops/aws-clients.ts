import { AthenaClient } from '@aws-sdk/client-athena';
import { EMRClient } from '@aws-sdk/client-emr';
import { GlueClient } from '@aws-sdk/client-glue';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DEFAULT_HTTP_TIMEOUTS, type HttpTimeouts } from './http-timeouts';

/** The service clients the ops commands use. */
export interface OpsClients {
  readonly glue: GlueClient;
  readonly emr: EMRClient;
  /** Step Functions: the pipelines' state machines. */
  readonly sfn: SFNClient;
  /** Athena: `platform status` reads the Spark batch log with it. */
  readonly athena: AthenaClient;
}

/**
 * Clients for `region` with the default credential chain (environment, shared config/SSO profile,
 * container and instance roles). The endpoint comes from the SDK's own configuration, which honours
 * AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_GLUE / AWS_ENDPOINT_URL_EMR / AWS_ENDPOINT_URL_SFN / AWS_ENDPOINT_URL_ATHENA (e.g. a local emulator).
 * The SDK's retries are off (`maxAttempts: 1`): `withRetry` is the one retry policy (see retry.ts).
 * Every request has a connection and a request timeout (the SDK's NodeHttpHandler, built by the
 * clients from these options); `throwOnRequestTimeout` makes the request timeout an error, not a
 * warning, so that the attempt fails and withRetry decides what comes next.
 */
export function createOpsClients(region: string, timeouts: HttpTimeouts = DEFAULT_HTTP_TIMEOUTS): OpsClients {
  const common = {
    region,
    maxAttempts: 1,
    requestHandler: {
      connectionTimeout: timeouts.connectionTimeoutMs,
      requestTimeout: timeouts.requestTimeoutMs,
      socketTimeout: timeouts.requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  };
  return { glue: new GlueClient(common), emr: new EMRClient(common), sfn: new SFNClient(common), athena: new AthenaClient(common) };
}

export function destroyOpsClients(clients: OpsClients): void {
  clients.glue.destroy();
  clients.emr.destroy();
  clients.sfn.destroy();
  clients.athena.destroy();
}
